using System.Globalization;
using System.Net;
using System.Text;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Pipeline;

// Over 300 lines: the table of every reason's answer and the scenario that produces each reason through the pipeline
// belong together, so that a new reason cannot get one without the other.

/// <summary>
/// Every failure reason, produced through the real pipeline, gets exactly one documented answer: 401 with its
/// challenge, 400 for a malformed request (RFC 6750 §3.1), 503 with <c>Retry-After</c> when no key set was usable; and
/// an RFC 9457 problem body saying the same. Neither ever carries token content.
/// </summary>
public sealed class ChallengeTests
{
    /// <summary>
    /// Reason, its code, the RFC 6750 error (none for a 503: the token is not known to be bad), the fixed description and
    /// the status: one row per reason a refused token can have.
    /// </summary>
    public static TheoryData<TokenFailureReason, string, string?, string, HttpStatusCode> Challenges { get; } = new()
    {
        { TokenFailureReason.HeaderDuplicate, "header_duplicate", "invalid_request", "The request has more than one Authorization header.", HttpStatusCode.BadRequest },
        { TokenFailureReason.TokenEmpty, "token_empty", "invalid_request", "The Bearer credentials are empty.", HttpStatusCode.BadRequest },
        { TokenFailureReason.TokenMultiple, "token_multiple", "invalid_request", "More than one access token was presented.", HttpStatusCode.BadRequest },
        { TokenFailureReason.TokenTooLarge, "token_too_large", "invalid_token", "The token is too large.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenMalformed, "token_malformed", "invalid_token", "The token is not a well-formed JWS compact token.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenEncrypted, "token_encrypted", "invalid_token", "Encrypted tokens (JWE) are not accepted.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenJsonSerialization, "token_json_serialization", "invalid_token", "Only the JWS compact serialization is accepted.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenNested, "token_nested", "invalid_token", "Nested tokens are not accepted.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.MemberDuplicate, "member_duplicate", "invalid_token", "The token repeats a member name.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.HeaderUnsupported, "header_unsupported", "invalid_token", "The token header uses an unsupported parameter.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.CritUnsupported, "crit_unsupported", "invalid_token", "The token header lists an unsupported critical extension.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.AlgorithmNotAllowed, "alg_not_allowed", "invalid_token", "The signing algorithm is not allowed.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TypeInvalid, "type_invalid", "invalid_token", "The token type is not accepted.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.ClaimInvalid, "claim_invalid", "invalid_token", "A registered claim has an invalid value.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.IssuerInvalid, "issuer_invalid", "invalid_token", "The issuer is invalid.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.KeyNotFound, "key_not_found", "invalid_token", "No signing key matches the token.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.KeySourceUnavailable, "key_source_unavailable", null, "The signing keys are temporarily unavailable.", HttpStatusCode.ServiceUnavailable },
        { TokenFailureReason.SignatureInvalid, "signature_invalid", "invalid_token", "The signature is invalid.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.ExpirationMissing, "expiration_missing", "invalid_token", "The token has no expiration time.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenExpired, "token_expired", "invalid_token", "The token has expired.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenNotYetValid, "token_not_yet_valid", "invalid_token", "The token is not valid yet.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenIssuedInFuture, "token_issued_in_future", "invalid_token", "The token was issued in the future.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.AudienceInvalid, "audience_invalid", "invalid_token", "The audience is invalid.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenRevoked, "token_revoked", "invalid_token", "The token has been revoked.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.TokenRejected, "token_rejected", "invalid_token", "The token was rejected.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.KeyIssuerMismatch, "key_issuer_mismatch", "invalid_token", "A key matches the token, but it may not sign for the issuer the token names.", HttpStatusCode.Unauthorized },
        { TokenFailureReason.RevocationUnavailable, "revocation_unavailable", null, "Whether the token is revoked cannot be checked right now.", HttpStatusCode.ServiceUnavailable },
    };

    [Fact]
    public void Challenge_table_has_a_row_for_every_reason_except_none_and_missing()
    {
        var rows = Challenges.Select(row => row.Data.Item1).ToList();
        var expected = Enum.GetValues<TokenFailureReason>()
            .Where(r => r is not TokenFailureReason.None and not TokenFailureReason.TokenMissing)
            .ToList();

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(expected.Order(), rows.Order());
    }

    [Theory]
    [MemberData(nameof(Challenges))]
    public async Task Each_failure_gets_its_status_exact_challenge_problem_body_and_no_store(
        TokenFailureReason reason, string code, string? error, string description, HttpStatusCode status)
    {
        var scenario = FailureScenarios.For(reason);
        await using var host = await PipelineHost.StartAsync(scenario.Setup);

        var response = await host.GetAsync("/protected", edit: scenario.Request);

        Assert.Equal(status, response.Status);
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            // Not a token problem: no challenge (a client would drop its token), a time to come back instead.
            Assert.Null(response.WwwAuthenticate);
            Assert.Equal("5", response.Header("Retry-After"));
        }
        else
        {
            Assert.Equal($"Bearer error=\"{error}\", error_description=\"{description}\", reason=\"{code}\"", response.WwwAuthenticate);
            Assert.Null(response.Header("Retry-After"));
        }

        Assert.Equal("no-store", response.CacheControl);
        Assert.Equal("no-cache", response.Header("Pragma"));
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(ProblemJson.For((int)status, description, error, code), response.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(response.Body).ToString(CultureInfo.InvariantCulture), response.Header("Content-Length"));
        Assert.Equal(code, reason.ToCode());
        Assert.Equal(description, reason.ToDescription());
    }

    [Fact]
    public async Task No_token_gets_the_bare_Bearer_challenge_and_a_body_saying_no_token_came()
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/protected");

        // RFC 6750 §3.1: no error code for a request without credentials, in the challenge or the body.
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
        Assert.Equal("no-store", response.CacheControl);
        Assert.Equal(ProblemJson.For(401, "No bearer token was presented.", reason: "token_missing"), response.Body);
    }

    [Fact]
    public async Task Realm_comes_first_in_every_challenge()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Realm = "api";
        });

        var missing = await host.GetAsync("/protected");
        var expired = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1))));

        Assert.Equal("Bearer realm=\"api\"", missing.WwwAuthenticate);
        Assert.Equal(
            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"",
            expired.WwwAuthenticate);
    }

    [Fact]
    public async Task Realm_is_escaped_as_a_quoted_string()
    {
        // Control characters never get this far: options validation refuses such a realm at start-up.
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Realm = "a \"quoted\" \\ realm";
        });

        var response = await host.GetAsync("/protected");

        Assert.Equal("Bearer realm=\"a \\\"quoted\\\" \\\\ realm\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Without_error_details_only_the_error_is_sent()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.IncludeErrorDetails = false;
        });

        var expired = await host.GetAsync("/protected", TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1))));
        var empty = await host.GetWithAuthorizationAsync("/protected", "Bearer ");
        var missing = await host.GetAsync("/protected");

        Assert.Equal("Bearer error=\"invalid_token\"", expired.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(401, error: "invalid_token"), expired.Body);
        Assert.Equal("Bearer error=\"invalid_request\"", empty.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(ProblemJson.For(400, error: "invalid_request"), empty.Body);
        Assert.Equal("Bearer", missing.WwwAuthenticate);
        Assert.Equal(ProblemJson.For(401), missing.Body);
        Assert.Equal("no-store", expired.CacheControl);
    }

    [Fact]
    public async Task Without_error_details_a_503_body_keeps_only_its_status()
    {
        var scenario = FailureScenarios.For(TokenFailureReason.KeySourceUnavailable);
        await using var host = await PipelineHost.StartAsync(scenario.Setup with
        {
            Options = o =>
            {
                scenario.Setup.Options!(o);
                o.IncludeErrorDetails = false;
            },
        });

        var response = await host.GetAsync("/protected", edit: scenario.Request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal("5", response.Header("Retry-After"));
        Assert.Equal(ProblemJson.For(503), response.Body);
    }

    [Fact]
    public async Task Forbidden_gets_403_insufficient_scope_with_realm_and_a_problem_body()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Realm = "api";
        });

        var response = await host.GetAsync("/forbidden", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("Bearer realm=\"api\", error=\"insufficient_scope\"", response.WwwAuthenticate);
        Assert.Equal("no-store", response.CacheControl);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal(ProblemJson.For(403, "The token does not grant access to this resource.", "insufficient_scope"), response.Body);
    }

    public static TheoryData<string> HostileTokens { get; } = new()
    {
        // iss with a quote, CRLF and the marker: unknown issuer.
        TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, issuer: "MARKER-7f3a\\\"\\r\\nX-Evil: MARKER-7f3a")),

        // aud likewise: audience refused after the signature verified.
        TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, audience: "MARKER-7f3a\\\"\\r\\nX-Evil: MARKER-7f3a")),

        // kid likewise: no such key.
        PipelineHost.Token(headerJson: """{"alg":"HS256","kid":"MARKER-7f3a\"\r\nX-Evil: MARKER-7f3a"}"""),

        // typ likewise: type refused.
        PipelineHost.Token(headerJson: """{"alg":"HS256","typ":"MARKER-7f3a\"\r\nX-Evil: MARKER-7f3a"}"""),

        // Everything at once, signed with another key.
        TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now, "\"name\":\"MARKER-7f3a\"", issuer: "MARKER-7f3a", audience: "MARKER-7f3a")),
    };

    [Theory]
    [MemberData(nameof(HostileTokens))]
    public async Task Challenge_never_reflects_token_content(string token)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", response.WwwAuthenticate, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Value.Contains("MARKER", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(response.Headers, h => h.Key == "X-Evil");
        Assert.DoesNotContain("MARKER", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>How to produce each failure through the real pipeline.</summary>
    private static class FailureScenarios
    {
        private static readonly DateTimeOffset Now = PipelineHost.Now;

        internal static (PipelineSetup Setup, Action<HttpRequestMessage> Request) For(TokenFailureReason reason) => reason switch
        {
            TokenFailureReason.HeaderDuplicate => (Default, Authorization("Bearer " + PipelineHost.Token(), "Bearer " + PipelineHost.Token())),
            TokenFailureReason.TokenEmpty => (Default, Authorization("Bearer ")),
            TokenFailureReason.TokenMultiple => (Default, Authorization("Bearer " + PipelineHost.Token() + " " + PipelineHost.Token())),
            TokenFailureReason.TokenTooLarge => (Default, Authorization("Bearer " + new string('a', BearerJwtDefaults.MaxTokenSize + 1))),
            TokenFailureReason.TokenMalformed => (Default, Bearer("abc.def")),
            TokenFailureReason.TokenEncrypted => (Default, Bearer("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d")),
            TokenFailureReason.TokenJsonSerialization => (Default, Bearer("""{"payload":"eyJ9"}""")),
            TokenFailureReason.TokenNested => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","cty":"JWT"}"""))),
            TokenFailureReason.MemberDuplicate => (Default, Bearer(PipelineHost.Token("\"sub\":\"admin\""))),
            TokenFailureReason.HeaderUnsupported => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","zip":"DEF"}"""))),
            TokenFailureReason.CritUnsupported => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","crit":["exp"],"exp":1}"""))),
            TokenFailureReason.AlgorithmNotAllowed => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"none"}"""))),
            TokenFailureReason.TypeInvalid => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","typ":"dpop+jwt"}"""))),
            TokenFailureReason.ClaimInvalid => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":"{{Now.AddHours(1).ToUnixTimeSeconds()}}"}"""))),
            TokenFailureReason.IssuerInvalid => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(Now, issuer: "https://evil.test")))),
            TokenFailureReason.KeyNotFound => (Default, Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","kid":"unknown"}"""))),
            TokenFailureReason.KeySourceUnavailable => (UnavailableKeys(), Bearer(PipelineHost.Token())),
            TokenFailureReason.SignatureInvalid => (Default, Bearer(TestJwt.Hs(new byte[32], TestJwt.Payload(Now)))),
            TokenFailureReason.ExpirationMissing => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","sub":"user-1"}"""))),
            TokenFailureReason.TokenExpired => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(Now.AddHours(-1))))),
            TokenFailureReason.TokenNotYetValid => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":{{Now.AddHours(2).ToUnixTimeSeconds()}},"nbf":{{Now.AddHours(1).ToUnixTimeSeconds()}}}"""))),
            TokenFailureReason.TokenIssuedInFuture => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":{{Now.AddHours(2).ToUnixTimeSeconds()}},"iat":{{Now.AddHours(1).ToUnixTimeSeconds()}}}"""))),
            TokenFailureReason.AudienceInvalid => (Default, Bearer(TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(Now, audience: "api://other")))),
            TokenFailureReason.TokenRevoked => (RevokeEverything(), Bearer(PipelineHost.Token())),
            TokenFailureReason.RevocationUnavailable => (RevocationCannotTell(), Bearer(PipelineHost.Token())),
            TokenFailureReason.TokenRejected => (RejectInEvent(), Bearer(PipelineHost.Token())),
            TokenFailureReason.KeyIssuerMismatch => (KeyBoundElsewhere(), Bearer(PipelineHost.Token(headerJson: """{"alg":"HS256","kid":"elsewhere"}"""))),
            _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "No scenario produces this reason yet: add one."),
        };

        private static PipelineSetup Default => new();

        private static Action<HttpRequestMessage> Bearer(string token) => Authorization("Bearer " + token);

        private static Action<HttpRequestMessage> Authorization(params string[] values) =>
            request => request.Headers.TryAddWithoutValidation("Authorization", values);

        private static PipelineSetup UnavailableKeys() => new()
        {
            Options = o =>
            {
                o.ValidIssuer = TestJwt.Issuer;
                o.ValidAudience = TestJwt.Audience;
                o.KeyResolver = new UnavailableKeyResolver();
            },
        };

        private static PipelineSetup KeyBoundElsewhere() => new()
        {
            Options = o =>
            {
                PipelineHost.UseDefaults(o);
                o.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key, keyId: "elsewhere", issuer: "https://elsewhere.test"));
            },
        };

        private static PipelineSetup RevokeEverything() =>
            new() { Services = s => s.AddSingleton<ITokenRevocationCheck>(new RevokeEverythingCheck()) };

        private static PipelineSetup RevocationCannotTell() =>
            new() { Services = s => s.AddSingleton<ITokenRevocationCheck>(new CannotTellCheck()) };

        private static PipelineSetup RejectInEvent() => new()
        {
            Options = o =>
            {
                PipelineHost.UseDefaults(o);
                o.Events.OnTokenValidated = context =>
                {
                    context.Reject();
                    return Task.CompletedTask;
                };
            },
        };
    }

    /// <summary>A key source that is always down, as a remote JWKS with nothing cached would be.</summary>
    private sealed class UnavailableKeyResolver : IKeyResolver
    {
        public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
            ValueTask.FromResult(KeyResolution.Unavailable);

        public bool HasKeysBoundTo(string issuer) => false;
    }

    /// <summary>A revocation check whose view is out of date (its shared store unreachable).</summary>
    private sealed class CannotTellCheck : ITokenRevocationCheck
    {
        public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TokenRevocationStatus.Unavailable);
    }

    /// <summary>A revocation list that holds every token.</summary>
    private sealed class RevokeEverythingCheck : ITokenRevocationCheck
    {
        public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TokenRevocationStatus.Revoked);
    }
}
