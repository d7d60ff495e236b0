import AgentSchedulerCore
import Foundation
import Testing

@Suite("JSON parsing into JSONValue")
struct JSONParsingTests {
    @Test(
        "documents parse with keys in order and numbers as written",
        arguments: [
            (
                #"{"b": 1, "a": [true, false, null], "c": {"d": "e"}}"#,
                "{\"b\":1,\"a\":[true,false,null],\"c\":{\"d\":\"e\"}}"
            ),
            (#"  [ -0.5e+3 , 12 , 0 , 1E2 ]  "#, "[-0.5e+3,12,0,1E2]"),
            (#""\u00e9\n\t\"\\\/ \ud83d\ude00""#, "\"é\\n\\t\\\"\\\\/ 😀\""),
            (#"{}"#, "{}"),
            (#"[]"#, "[]"),
            (#""plain ünïcode""#, "\"plain ünïcode\""),
        ])
    func parses(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text).jsonText == expected)
    }

    @Test("what JSONDecoder reads, the parser reads the same")
    func agreesWithFoundation() throws {
        let text =
            #"{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hi","tool_calls":[{"index":0,"id":"call_1","function":{"name":"read","arguments":"{\"path\":\"a\"}"}}]},"finish_reason":null}],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#
        let parsed = try JSONValue(parsing: text)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        func first(_ value: JSONValue?) -> JSONValue? {
            guard case .array(let values)? = value else { return nil }
            return values.first
        }
        let delta = first(parsed["choices"])?["delta"]
        #expect(delta?["content"]?.stringValue == "Hi")
        #expect(parsed["usage"]?["prompt_tokens"] == decoded["usage"]?["prompt_tokens"])
        #expect(parsed["usage"]?["prompt_tokens"]?.intValue == 12)
        #expect(first(delta?["tool_calls"])?["function"]?["arguments"]?.stringValue == #"{"path":"a"}"#)
    }

    @Test(
        "malformed text is refused with the byte offset",
        arguments: [
            ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 2), ("tru", 0), (#""abc"#, 4), ("[1] x", 4),
            (#""\x""#, 3), (#""\ud800""#, 7), ("-", 1), ("1.", 2), ("\"a\u{01}\"", 2),
        ])
    func refuses(text: String, offset: Int) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test("nesting deeper than 512 levels is refused, not a crash")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue(parsing: fine)) != nil)
    }
}
