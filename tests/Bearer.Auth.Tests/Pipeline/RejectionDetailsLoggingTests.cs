using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// With Debug on, a rejected token logs what it carried (alg, kid, iss, aud; sanitized and cut short) beside what the
/// scheme expects, and nothing else of the token: never its signature or other claims.
/// </summary>
public sealed class RejectionDetailsLoggingTests
{
    private const string Expected =
        "alg one of ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']; " +
        "kid none (no configured key has one); iss one of ['https://issuer.test']; aud one of ['api://test']";

    [Fact]
    public async Task A_rejected_token_logs_the_received_and_expected_values_at_Debug()
    {
        await using var host = await StartAsync();
        var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, issuer: "https://wrong.test"), headerJson: """{"alg":"HS256","kid":"k-7"}""");

        await host.GetAsync("/protected", token);

        var record = Assert.Single(Details(host));
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.Equal(
            $"Bearer token rejected (issuer_invalid): received alg 'HS256', kid 'k-7', iss 'https://wrong.test', aud 'api://test'; expected {Expected}.",
            record.Message);
        Assert.Equal("'https://wrong.test'", record.GetStructuredStateValue("ReceivedIssuer"));
        Assert.Equal(Expected, record.GetStructuredStateValue("Expected"));
    }

    [Fact]
    public async Task The_expected_values_name_key_ids_key_issuers_and_remote_sources()
    {
        await using var host = await StartAsync(o =>
        {
            o.VerificationKeys.Add(VerificationKey.Symmetric(PipelineHost.Key, keyId: "k1", issuer: "https://bound.test"));
            o.Authorities.Add(new RemoteKeyAuthority { Authority = "https://login.example.test/realms/main" });
            o.RemoteKeys.PrewarmOnStartup = false;
        });

        await host.GetAsync("/protected", TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now)));

        Assert.EndsWith(
            "kid one of ['k1'], or one of a remote or custom key source; iss one of ['https://issuer.test'], or the issuer of a configured key " +
            "['https://bound.test'], or the issuer of a remote key source ['https://login.example.test/realms/main']; aud one of ['api://test']",
            (string?)Assert.Single(Details(host)).GetStructuredStateValue("Expected"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Received_values_are_printable_ASCII_cut_to_64_characters_and_4_audiences()
    {
        await using var host = await StartAsync();
        var longKid = new string('k', 200);
        var payload = $$"""{"iss":"https://evil.test/\u0007\r\nFAKE LOG LINE é","aud":["a1","a2","a3","a4","a5","a6"],"exp":{{PipelineHost.Now.ToUnixTimeSeconds() + 60}}}""";
        var token = TestJwt.Hs(new byte[32], payload, headerJson: $$"""{"alg":"HS256","kid":"{{longKid}}"}""");

        await host.GetAsync("/protected", token);

        var record = Assert.Single(Details(host));
        Assert.Equal("'" + new string('k', 64) + "...'", record.GetStructuredStateValue("ReceivedKeyId"));
        Assert.Equal("'https://evil.test/???FAKE LOG LINE ?'", record.GetStructuredStateValue("ReceivedIssuer"));
        Assert.Equal("['a1', 'a2', 'a3', 'a4', (+2 more)]", record.GetStructuredStateValue("ReceivedAudience"));
        Assert.All(record.Message, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public async Task Neither_the_signature_nor_other_claims_are_logged()
    {
        await using var host = await StartAsync();
        var token = TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now, "\"name\":\"MARKER-name\",\"email\":\"MARKER@mail\""));
        var signature = token[(token.LastIndexOf('.') + 1)..];

        await host.GetAsync("/protected", token);

        var record = Assert.Single(Details(host));
        var texts = record.StructuredState!.Select(kv => kv.Value).Append(record.Message).OfType<string>().ToList();
        Assert.Contains("(signature_invalid)", record.Message, StringComparison.Ordinal);
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain("MARKER", text, StringComparison.Ordinal);
            Assert.DoesNotContain("user-1", text, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("not-a-token", "(unreadable)", "(unreadable)")]
    [InlineData("e30.e30.AAAA", "(none)", "(none)")]
    public async Task Unreadable_or_missing_members_are_said_so(string token, string algorithm, string issuer)
    {
        await using var host = await StartAsync();

        await host.GetAsync("/protected", token);

        var record = Assert.Single(Details(host));
        Assert.Equal(algorithm, record.GetStructuredStateValue("ReceivedAlgorithm"));
        Assert.Equal(issuer, record.GetStructuredStateValue("ReceivedIssuer"));
    }

    [Fact]
    public async Task A_token_over_MaxTokenSize_is_not_read()
    {
        await using var host = await StartAsync(o => o.MaxTokenSize = 100);

        await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal("(not read: over MaxTokenSize)", Assert.Single(Details(host)).GetStructuredStateValue("ReceivedIssuer"));
    }

    [Fact]
    public async Task An_accepted_token_logs_no_details()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty(Details(host));
    }

    [Fact]
    public async Task Without_Debug_nothing_is_read_or_described()
    {
        await using var host = await PipelineHost.StartAsync();

        await host.GetAsync("/protected", TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now)));

        Assert.Empty(Details(host));
        Assert.Null(host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme).ExpectedTokenValues);
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("aud")]
    public async Task A_claim_that_is_not_valid_UTF8_is_logged_as_unreadable_and_the_answer_stays_401(string claim)
    {
        await using var host = await StartAsync();
        byte[] payload = [.. "{\""u8, .. System.Text.Encoding.ASCII.GetBytes(claim), .. "\":\""u8, 0xC3, 0x28, .. "\",\"exp\":4102444800}"u8];
        var token = TestJwt.B64("""{"alg":"HS256"}""") + "." + TestJwt.B64(payload) + "." + TestJwt.B64(new byte[32]);

        var response = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains(claim + " (unreadable)", Assert.Single(Details(host)).Message, StringComparison.Ordinal);
    }

    private static Task<PipelineHost> StartAsync(Action<BearerJwtOptions>? configure = null) =>
        PipelineHost.StartWithDefaultsAsync(configure ?? (_ => { }), s => s.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Debug));

    private static List<FakeLogRecord> Details(PipelineHost host) =>
        [.. host.Logs.GetSnapshot().Where(r => r.Category == "Bearer.Auth.BearerJwtHandler" && r.Id.Name == "TokenRejectionDetails")];
}
