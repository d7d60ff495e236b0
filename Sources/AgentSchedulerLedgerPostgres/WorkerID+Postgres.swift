import AgentSchedulerLedger
import NIOCore
import PostgresNIO

/// Worker ids travel as their text, alone or in arrays.
extension WorkerID: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable, PostgresArrayDecodable {
    public static var psqlType: PostgresDataType { String.psqlType }
    public static var psqlFormat: PostgresFormat { String.psqlFormat }
    public static var psqlArrayType: PostgresDataType { String.psqlArrayType }

    public func encode<Encoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<Encoder>
    ) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<Decoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<Decoder>
    ) throws {
        self.init(rawValue: try String(from: &buffer, type: type, format: format, context: context))
    }
}
