import AgentSchedulerLedger
import NIOCore
import PostgresNIO

/// Ledger ids travel as their number, a `bigint`, alone or in arrays.
extension LedgerID: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable, PostgresArrayDecodable {
    public static var psqlType: PostgresDataType { Int64.psqlType }
    public static var psqlFormat: PostgresFormat { Int64.psqlFormat }
    public static var psqlArrayType: PostgresDataType { Int64.psqlArrayType }

    public func encode<Encoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<Encoder>
    ) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<Decoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<Decoder>
    ) throws {
        self.init(rawValue: try Int64(from: &buffer, type: type, format: format, context: context))
    }
}
