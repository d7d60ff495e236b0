extension Sequence<UInt8> {
    /// The bytes as lowercase hexadecimal: how digests and HMACs travel in headers and cookies.
    var hex: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
        }
        return text
    }
}
