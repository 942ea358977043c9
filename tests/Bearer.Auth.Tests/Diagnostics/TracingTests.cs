using System.Diagnostics;
using System.Net;
using Bearer.Auth.Tests.Keys.Remote;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Diagnostics;

/// <summary>
/// The spans of the <c>Bearer.Auth</c> activity source: one <c>Bearer.Auth.ValidateToken</c> per validation (where
/// the token came from, the result, the reason or the algorithm; status Error when a seam threw) and one
/// <c>Bearer.Auth.FetchKeys</c> per remote key-set fetch. Each test reads only the spans of a trace it started itself.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class TracingTests
{
    private const string ValidateToken = "Bearer.Auth.ValidateToken";
    private const string FetchKeys = "Bearer.Auth.FetchKeys";

    private static readonly string Valid = PipelineHost.Token();

    private static readonly string Expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("authorization_header")]
    [InlineData("cookie")]
    [InlineData("query_string")]
    [InlineData("message_received_event")]
    public async Task A_valid_token_gives_one_validation_span_with_its_source_the_result_and_the_algorithm(string source)
    {
        await using var host = await StartAsync(o =>
        {
            o.TokenCookieName = "access";
            o.QueryTokenPaths.Add("/hub");
            if (source == "message_received_event")
            {
                o.Events.OnMessageReceived = context =>
                {
                    context.Token = context.Request.Headers["X-Token"];
                    return Task.CompletedTask;
                };
            }
        });
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        var response = source switch
        {
            "authorization_header" => await host.GetAsync("/protected", Valid),
            "cookie" => await host.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "access=" + Valid)),
            "query_string" => await host.GetAsync("/hub/connect?access_token=" + Valid),
            _ => await host.GetAsync("/protected", edit: r => r.Headers.Add("X-Token", Valid)),
        };

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var span = Assert.Single(recorder.InTrace(trace.TraceId));
        Assert.Equal(ValidateToken, span.OperationName);
        Assert.Equal($"bearer_auth.alg=HS256, bearer_auth.result=success, bearer_auth.token_source={source}", ActivityRecorder.TagsOf(span));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_refused_token_gives_a_validation_span_with_the_reason_code_and_no_algorithm()
    {
        await using var host = await StartAsync(_ => { });
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        var span = Assert.Single(recorder.InTrace(trace.TraceId));
        Assert.Equal(ValidateToken, span.OperationName);
        Assert.Equal("bearer_auth.reason=token_expired, bearer_auth.result=failure, bearer_auth.token_source=authorization_header", ActivityRecorder.TagsOf(span));

        // A refusal is a result, not an error of the span.
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_request_refused_before_validation_or_without_a_token_gives_no_validation_span()
    {
        await using var host = await StartAsync(_ => { });
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        await host.GetAsync("/protected");
        await host.GetWithAuthorizationAsync("/protected", "Bearer " + Valid, "Bearer " + Valid);

        Assert.Empty(recorder.InTrace(trace.TraceId));
    }

    [Fact]
    public async Task A_stand_alone_validation_span_says_its_source_is_unspecified()
    {
        using var fixture = new ValidatorFixture();
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        var result = await fixture.Validator.ValidateAsync(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload()), Ct);

        Assert.True(result.Succeeded);
        var span = Assert.Single(recorder.InTrace(trace.TraceId));
        Assert.Equal("bearer_auth.alg=HS256, bearer_auth.result=success, bearer_auth.token_source=unspecified", ActivityRecorder.TagsOf(span));
    }

    [Theory]
    [InlineData("key resolver")]
    [InlineData("revocation check")]
    public async Task A_seam_that_throws_gives_a_validation_span_with_status_Error_and_the_exception_still_propagates(string seam)
    {
        using var fixture = new ValidatorFixture(o =>
        {
            if (seam == "key resolver")
            {
                o.KeyResolver = new ThrowingSeam();
            }
            else
            {
                o.RevocationCheck = new ThrowingSeam();
            }
        });
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload());
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () => await fixture.Validator.ValidateAsync(token, Ct));

        Assert.Equal(ThrowingSeam.Message, thrown.Message);
        var span = Assert.Single(recorder.InTrace(trace.TraceId));
        Assert.Equal(ValidateToken, span.OperationName);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("bearer_auth.result=error, bearer_auth.token_source=unspecified", ActivityRecorder.TagsOf(span));
    }

    [Fact]
    public async Task A_remote_key_fetch_gives_a_client_span_inside_the_validation_that_waited_for_it()
    {
        await using var server = await JwksTestServer.StartAsync();
        using var key = new TestKey("k1");
        server.Publish(key);
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = server.BaseUrl);
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(key.Token(server.Issuer, harness.Now)));

        var spans = recorder.InTrace(trace.TraceId);
        var validation = Assert.Single(spans, s => s.OperationName == ValidateToken);
        var fetch = Assert.Single(spans, s => s.OperationName == FetchKeys);
        Assert.Equal($"bearer_auth.key_source={harness.Resolver.Sources[0].Label}, bearer_auth.result=success", ActivityRecorder.TagsOf(fetch));
        Assert.Equal(ActivityKind.Client, fetch.Kind);
        Assert.Equal(ActivityStatusCode.Unset, fetch.Status);
        Assert.Equal(validation.SpanId, fetch.ParentSpanId);
        Assert.Equal("bearer_auth.alg=ES256, bearer_auth.result=success, bearer_auth.token_source=unspecified", ActivityRecorder.TagsOf(validation));
    }

    [Fact]
    public async Task A_failed_remote_key_fetch_gives_a_span_with_status_Error_and_the_validation_a_failure()
    {
        await using var server = await JwksTestServer.StartAsync();
        using var key = new TestKey("k1");
        server.Publish(key);
        server.Mode = ServerMode.Unavailable;
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = server.BaseUrl);
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(key.Token(server.Issuer, harness.Now)));

        var spans = recorder.InTrace(trace.TraceId);
        var fetch = Assert.Single(spans, s => s.OperationName == FetchKeys);
        Assert.Equal($"bearer_auth.key_source={harness.Resolver.Sources[0].Label}, bearer_auth.result=failure", ActivityRecorder.TagsOf(fetch));
        Assert.Equal(ActivityStatusCode.Error, fetch.Status);
        Assert.Equal("The metadata request answered 503, not 200.", fetch.StatusDescription);
        var validation = Assert.Single(spans, s => s.OperationName == ValidateToken);
        Assert.Equal("bearer_auth.reason=key_source_unavailable, bearer_auth.result=failure, bearer_auth.token_source=unspecified", ActivityRecorder.TagsOf(validation));
    }

    [Fact]
    public async Task A_background_refresh_is_not_part_of_the_trace_whose_validation_caused_the_first_fetch()
    {
        await using var server = await JwksTestServer.StartAsync();
        using var key = new TestKey("k1");
        server.Publish(key);
        var time = new FakeTimeProvider(ValidatorFixture.Now);
        await using var harness = RemoteKeysHarness.Create(
            o => o.Authority = server.BaseUrl,
            addServices: s => s.AddSingleton<TimeProvider>(new ContextCapturingTimeProvider(time)));
        using var recorder = new ActivityRecorder();
        ActivityTraceId request;
        using (var trace = ActivityRecorder.StartTestTrace())
        {
            request = trace.TraceId;
            Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(key.Token(server.Issuer, harness.Now)));
        }

        time.Advance(harness.Options.RemoteKeys.RefreshInterval);
        await harness.IdleAsync();

        Assert.Equal(2, server.JwksRequests);
        Assert.Single(recorder.InTrace(request), s => s.OperationName == FetchKeys);
    }

    /// <summary>
    /// A host whose requests run in the test's execution context (so the test's trace is the parent of the handler's
    /// spans), with the default issuer, audience and key and then <paramref name="configure"/>.
    /// </summary>
    private static Task<PipelineHost> StartAsync(Action<BearerJwtOptions> configure) =>
        PipelineHost.StartWithDefaultsAsync(configure, s => s.Configure<TestServerOptions>(t => t.PreserveExecutionContext = true));

    /// <summary>
    /// A fake clock whose timers run their callback in the execution context captured when they were created, as
    /// <see cref="TimeProvider.System"/>'s do (<see cref="FakeTimeProvider"/> runs them in the caller's of
    /// <see cref="FakeTimeProvider.Advance"/>).
    /// </summary>
    private sealed class ContextCapturingTimeProvider(FakeTimeProvider time) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

        public override long GetTimestamp() => time.GetTimestamp();

        public override long TimestampFrequency => time.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var captured = ExecutionContext.Capture();
            return time.CreateTimer(
                captured is null ? callback : s => ExecutionContext.Run(captured, callback.Invoke, s),
                state,
                dueTime,
                period);
        }
    }
}
