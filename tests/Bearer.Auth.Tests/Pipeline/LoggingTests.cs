using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>The handler logs refusals with stable event ids and reason codes, never the token.</summary>
public sealed class LoggingTests
{
    private const string HandlerCategory = "Bearer.Auth.BearerJwtHandler";

    private static readonly string[] OwnEvents = ["TokenValidated", "TokenRejected", "RequestRejected", "TokenRejectedByApplication", "ForbiddenResponse"];

    /// <summary>The handler's own records (the base AuthenticationHandler logs under the same category with its own ids).</summary>
    private static IReadOnlyList<FakeLogRecord> HandlerRecords(PipelineHost host) =>
        [.. host.Logs.GetSnapshot().Where(r => r.Category == HandlerCategory && OwnEvents.Contains(r.Id.Name))];

    public static TheoryData<string, string> RefusedTokens { get; } = new()
    {
        { TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1))), "token_expired" },
        { TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now, "\"name\":\"MARKER-5c1e\"")), "signature_invalid" },
        { TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now, issuer: "MARKER-5c1e")), "issuer_invalid" },
        { PipelineHost.Token(headerJson: """{"alg":"HS256","kid":"MARKER-5c1e"}"""), "key_not_found" },
        { "MARKER5c1e.MARKER5c1e", "token_malformed" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Refused_token_logs_TokenRejected_with_the_reason_code_and_never_the_token(string token, string code)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        var record = Assert.Single(HandlerRecords(host), r => r.Level >= LogLevel.Information);
        Assert.Equal(2, record.Id.Id);
        Assert.Equal("TokenRejected", record.Id.Name);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Equal($"Bearer token rejected: {code}.", record.Message);
        Assert.Equal(code, record.GetStructuredStateValue("Reason"));
        AssertNoTokenContent(host, token);
    }

    [Theory]
    [InlineData("Bearer ", "token_empty")]
    [InlineData("Bearer a b", "token_multiple")]
    public async Task Request_error_logs_RequestRejected(string authorization, string code)
    {
        await using var host = await PipelineHost.StartAsync();

        await host.GetWithAuthorizationAsync("/protected", authorization);

        var record = Assert.Single(HandlerRecords(host), r => r.Level >= LogLevel.Information);
        Assert.Equal(3, record.Id.Id);
        Assert.Equal("RequestRejected", record.Id.Name);
        Assert.Equal(code, record.GetStructuredStateValue("Reason"));
    }

    [Fact]
    public async Task Duplicate_header_logs_RequestRejected_without_either_token()
    {
        await using var host = await PipelineHost.StartAsync();
        var first = PipelineHost.Token("\"jti\":\"first\"");
        var second = PipelineHost.Token("\"jti\":\"second\"");

        await host.GetWithAuthorizationAsync("/protected", "Bearer " + first, "Bearer " + second);

        var record = Assert.Single(HandlerRecords(host), r => r.Level >= LogLevel.Information);
        Assert.Equal(3, record.Id.Id);
        Assert.Equal("header_duplicate", record.GetStructuredStateValue("Reason"));
        AssertNoTokenContent(host, first);
        AssertNoTokenContent(host, second);
    }

    [Fact]
    public async Task Application_refusal_logs_TokenRejectedByApplication_then_TokenRejected()
    {
        var token = PipelineHost.Token();
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Events.OnTokenValidated = context =>
            {
                context.Reject();
                return Task.CompletedTask;
            };
        });

        await host.GetAsync("/protected", token);

        var records = HandlerRecords(host).Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.Equal([4, 2], records.Select(r => r.Id.Id));
        Assert.Equal("TokenRejectedByApplication", records[0].Id.Name);
        Assert.Equal("token_rejected", records[1].GetStructuredStateValue("Reason"));
        AssertNoTokenContent(host, token);
    }

    [Fact]
    public async Task Missing_token_logs_no_refusal()
    {
        await using var host = await PipelineHost.StartAsync();

        await host.GetAsync("/protected");

        Assert.DoesNotContain(HandlerRecords(host), r => r.Id.Id is 2 or 3 or 4);
    }

    [Fact]
    public async Task Forbidden_logs_ForbiddenResponse()
    {
        await using var host = await PipelineHost.StartAsync();

        await host.GetAsync("/admin", PipelineHost.Token());

        var record = Assert.Single(HandlerRecords(host), r => r.Level >= LogLevel.Information);
        Assert.Equal(5, record.Id.Id);
        Assert.Equal("ForbiddenResponse", record.Id.Name);
    }

    /// <summary>No record of any category holds the token, any of its segments, or the marker planted in its claims.</summary>
    private static void AssertNoTokenContent(PipelineHost host, string token)
    {
        var fragments = token.Split('.').Where(s => s.Length >= 8).Append(token).Append("MARKER").ToList();
        foreach (var record in host.Logs.GetSnapshot())
        {
            var texts = new List<string?> { record.Message, record.Exception?.ToString() };
            texts.AddRange(record.StructuredState?.Select(kv => kv.Value) ?? []);
            foreach (var text in texts.OfType<string>())
            {
                foreach (var fragment in fragments)
                {
                    Assert.DoesNotContain(fragment, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
    }
}
