using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// The status each refusal answers comes from one switch (a reason it does not name is a 401 <c>invalid_token</c>),
/// <c>Retry-After</c> on a 503 follows the key sources' retry delay, and <c>OnChallenge</c> can change any of it.
/// </summary>
public sealed class StatusCodeTests
{
    private static readonly string Expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

    [Fact]
    public void Every_reason_has_one_status_and_error_and_an_unknown_one_is_a_401_invalid_token()
    {
        foreach (var reason in Enum.GetValues<TokenFailureReason>())
        {
            var expected = reason switch
            {
                TokenFailureReason.None or TokenFailureReason.TokenMissing => (401, (string?)null),
                TokenFailureReason.HeaderDuplicate or TokenFailureReason.TokenEmpty or TokenFailureReason.TokenMultiple => (400, "invalid_request"),
                TokenFailureReason.KeySourceUnavailable or TokenFailureReason.RevocationUnavailable => (503, null),
                _ => (401, "invalid_token"),
            };
            Assert.Equal(expected, FailureStatus.For(reason));
        }

        Assert.Equal((401, "invalid_token"), FailureStatus.For((TokenFailureReason)999));
    }

    [Fact]
    public async Task OnChallenge_sees_the_status_each_refusal_would_get()
    {
        var seen = new List<(TokenFailureReason, int, string?)>();
        await using var host = await StartUnavailableAsync(o => o.Events.OnChallenge = context =>
        {
            seen.Add((context.Reason, context.StatusCode, context.Error));
            return Task.CompletedTask;
        });

        await host.GetAsync("/protected");
        await host.GetWithAuthorizationAsync("/protected", "Bearer ");
        await host.GetAsync("/protected", "abc.def");
        await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(
            [
                (TokenFailureReason.None, 401, null),
                (TokenFailureReason.TokenEmpty, 400, "invalid_request"),
                (TokenFailureReason.TokenMalformed, 401, "invalid_token"),
                (TokenFailureReason.KeySourceUnavailable, 503, null),
            ],
            seen);
    }

    [Fact]
    public async Task OnChallenge_can_answer_an_unavailable_key_set_with_JwtBearers_401()
    {
        await using var host = await StartUnavailableAsync(o => o.Events.OnChallenge = context =>
        {
            context.StatusCode = StatusCodes.Status401Unauthorized;
            context.Error = "invalid_token";
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The signing keys are temporarily unavailable.\", reason=\"key_source_unavailable\"",
            response.WwwAuthenticate);
        Assert.Null(response.Header("Retry-After"));
        Assert.Equal(
            ProblemJson.For(401, "The signing keys are temporarily unavailable.", "invalid_token", "key_source_unavailable"),
            response.Body);
    }

    [Fact]
    public async Task A_Retry_After_set_by_OnChallenge_is_kept()
    {
        await using var host = await StartUnavailableAsync(o => o.Events.OnChallenge = context =>
        {
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal("120", response.Header("Retry-After"));
    }

    [Theory]
    [InlineData("00:00:05", "5")]
    [InlineData("00:00:12.2", "13")]
    [InlineData("00:00:00.1", "1")]
    [InlineData("00:02:00", "120")]
    public async Task Retry_After_is_the_key_sources_retry_delay_in_whole_seconds_rounded_up(string retryDelay, string retryAfter)
    {
        await using var host = await StartUnavailableAsync(o => o.RemoteKeys.RetryDelay = TimeSpan.Parse(retryDelay, System.Globalization.CultureInfo.InvariantCulture));

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(retryAfter, response.Header("Retry-After"));
    }

    [Fact]
    public async Task A_status_of_the_events_choosing_gets_no_challenge_and_a_plain_problem()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o => o.Events.OnChallenge = context =>
        {
            context.StatusCode = StatusCodes.Status429TooManyRequests;
            return Task.CompletedTask;
        });

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.Status);
        Assert.Null(response.WwwAuthenticate);
        Assert.Null(response.Header("Retry-After"));
        Assert.Equal(
            """{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"The token has expired.","error":"invalid_token","reason":"token_expired"}""",
            response.Body);
    }

    private static Task<PipelineHost> StartUnavailableAsync(Action<BearerJwtOptions> configure) => PipelineHost.StartWithDefaultsAsync(o =>
    {
        o.VerificationKeys.Clear();
        o.KeyResolver = new UnavailableKeyResolver();
        configure(o);
    });

    /// <summary>A key source that is always down, as a remote JWKS with nothing cached would be.</summary>
    private sealed class UnavailableKeyResolver : IKeyResolver
    {
        public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
            ValueTask.FromResult(KeyResolution.Unavailable);

        public bool HasKeysBoundTo(string issuer) => false;
    }
}
