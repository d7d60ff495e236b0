import Testing

@testable import AgentSchedulerCore

@Suite("Default session caps: the policy's limits map")
struct SessionDefaultsTests {
    static func load(_ policy: String) throws -> (OrganizationPolicy?, [Diagnostic], LoadedWorkspace) {
        var files = OrganizationPolicyTests.team
        files["policies/acme.yaml"] = policy
        let loaded = try loadWorkspace(files)
        return (loaded.workspace.policy(named: "acme"), loaded.diagnostics, loaded)
    }

    @Test("a policy without limits gets the built-in caps: 100 turns, 300 tool calls, 1 hour, 8 MiB")
    func builtIn() throws {
        let (policy, diagnostics, _) = try Self.load("org: acme\n")
        #expect(diagnostics == [])
        #expect(policy?.limits == .builtIn)
        #expect(
            SessionDefaults.builtIn
                == SessionDefaults(
                    maxTurns: 100, maxToolCalls: 300, maxRuntime: HumanDuration(.seconds(3600)),
                    maxFileBytes: 8 * 1024 * 1024))
    }

    @Test("limits set some caps; the others keep the built-in ones")
    func partial() throws {
        let (policy, diagnostics, _) = try Self.load("org: acme\nlimits:\n  max-turns: 12\n  max-runtime: 90s\n")
        #expect(diagnostics == [])
        var expected = SessionDefaults.builtIn
        expected.maxTurns = 12
        expected.maxRuntime = HumanDuration(.seconds(90))
        #expect(policy?.limits == expected)
    }

    @Test(
        "a bad limit is an error at its place; an unknown one a warning",
        arguments: [
            (
                "limits:\n  max-turns: 0\n",
                ExpectedDiagnostic(3, 14, .error, .invalidValue, "'max-turns' is 0; it must be at least 1")
            ),
            (
                "limits:\n  max-runtime: soon\n",
                ExpectedDiagnostic(
                    3, 16, .error, .invalidValue, "'max-runtime' value 'soon' is not a positive duration",
                    hint: "write it like 90s, 30m or 1h30m")
            ),
            (
                "limits:\n  max-turn: 5\n",
                ExpectedDiagnostic(
                    3, 3, .warning, .unknownKey, "unknown key 'max-turn' in limits", hint: "did you mean 'max-turns'?")
            ),
        ])
    func invalid(text: String, expected: ExpectedDiagnostic) throws {
        let (_, diagnostics, loaded) = try Self.load("org: acme\n" + text)
        #expect(diagnostics == [expected.diagnostic(in: loaded.path("policies/acme.yaml"))])
    }

    @Test(
        "the profile's own limits come first; the organisation's defaults fill the rest",
        arguments: [
            (AgentLimits(), AgentLimits(maxTurns: 40, maxToolCalls: 300, maxRuntime: HumanDuration(.seconds(3600)))),
            (
                AgentLimits(maxTurns: 5, maxRuntime: HumanDuration(.seconds(60))),
                AgentLimits(maxTurns: 5, maxToolCalls: 300, maxRuntime: HumanDuration(.seconds(60)))
            ),
            (
                AgentLimits(maxTurns: 500, maxToolCalls: 2, maxPremiumRequests: PremiumRequests(3)),
                AgentLimits(
                    maxTurns: 500, maxToolCalls: 2, maxRuntime: HumanDuration(.seconds(3600)),
                    maxPremiumRequests: PremiumRequests(3))
            ),
        ])
    func applied(profile: AgentLimits, expected: AgentLimits) {
        var defaults = SessionDefaults.builtIn
        defaults.maxTurns = 40
        #expect(defaults.applied(to: profile) == expected)
    }
}
