using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Bearer.Auth.Tests.Diagnostics;

/// <summary>
/// The <c>Bearer.Auth</c> meter as a host sees it: the handler counts every authentication once
/// (<c>bearer_auth.authentications</c>, by result, reason code and scheme) and the validator records every
/// validation's duration (<c>bearer_auth.validation.duration</c>, by result and reason code). Each collector is bound
/// to its host's <see cref="IMeterFactory"/>, so tests running in parallel never see each other's measurements.
/// </summary>
public sealed class MetricsTests
{
    private const string Authentications = "bearer_auth.authentications";
    private const string ValidationDuration = "bearer_auth.validation.duration";

    private static readonly string Expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

    private static readonly byte[] OtherKey = System.Security.Cryptography.SHA256.HashData("Bearer.Auth metrics test other key"u8);

    private const string OtherIssuer = "https://other-issuer.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_token_counts_one_success_tagged_with_the_scheme()
    {
        await using var host = await PipelineHost.StartAsync();
        using var counted = Collect<long>(host, Authentications);

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("bearer_auth.result=success, bearer_auth.scheme=Bearer", TagsOf(measurement));
    }

    [Fact]
    public async Task An_expired_token_counts_one_failure_with_reason_token_expired_although_the_challenge_reads_the_result_again()
    {
        await using var host = await PipelineHost.StartAsync();
        using var counted = Collect<long>(host, Authentications);

        var response = await host.GetAsync("/protected", Expired);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("bearer_auth.reason=token_expired, bearer_auth.result=failure, bearer_auth.scheme=Bearer", TagsOf(measurement));
    }

    [Fact]
    public async Task A_request_without_a_token_counts_result_none_without_a_reason()
    {
        await using var host = await PipelineHost.StartAsync();
        using var counted = Collect<long>(host, Authentications);

        var response = await host.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal("bearer_auth.result=none, bearer_auth.scheme=Bearer", TagsOf(measurement));
    }

    [Fact]
    public async Task Two_Authorization_headers_count_one_failure_with_reason_header_duplicate_and_no_validation()
    {
        await using var host = await PipelineHost.StartAsync();
        using var counted = Collect<long>(host, Authentications);
        using var timed = Collect<double>(host, ValidationDuration);

        var response = await host.GetWithAuthorizationAsync("/protected", "Bearer " + PipelineHost.Token(), "Bearer " + PipelineHost.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal("bearer_auth.reason=header_duplicate, bearer_auth.result=failure, bearer_auth.scheme=Bearer", TagsOf(measurement));
        Assert.Empty(timed.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task The_duration_histogram_records_one_measurement_per_validation_tagged_with_result_and_reason()
    {
        await using var host = await PipelineHost.StartAsync();
        using var timed = Collect<double>(host, ValidationDuration);

        await host.GetAsync("/protected", PipelineHost.Token());
        await host.GetAsync("/protected", Expired);
        await host.GetAsync("/protected");

        var measurements = timed.GetMeasurementSnapshot();
        Assert.Equal(
            ["bearer_auth.result=success", "bearer_auth.reason=token_expired, bearer_auth.result=failure"],
            measurements.Select(TagsOf));
        Assert.All(measurements, m => Assert.True(m.Value >= 0, $"A duration of {m.Value} s"));
        Assert.Equal("s", timed.Instrument!.Unit);
    }

    [Fact]
    public async Task Two_schemes_are_told_apart_by_the_scheme_tag()
    {
        await using var host = await PipelineHost.StartAsync(new PipelineSetup
        {
            Authentication = s => s
                .AddBearerJwt(PipelineHost.UseDefaults)
                .AddBearerJwt("Other", o =>
                {
                    o.ValidIssuer = OtherIssuer;
                    o.ValidAudience = TestJwt.Audience;
                    o.VerificationKeys.Add(VerificationKey.Symmetric(OtherKey));
                }),
        });
        using var counted = Collect<long>(host, Authentications);
        var otherToken = TestJwt.Hs(OtherKey, TestJwt.Payload(PipelineHost.Now, issuer: OtherIssuer));

        // /protected authenticates the default scheme only; /other authenticates both (the default one for the
        // authentication middleware, "Other" for its policy), and only "Other" accepts its token.
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", PipelineHost.Token())).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/other", otherToken)).Status);

        var bySchemeAndResult = counted.GetMeasurementSnapshot()
            .Select(m => $"{m.Tags["bearer_auth.scheme"]}:{m.Tags["bearer_auth.result"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["Bearer:failure", "Bearer:success", "Other:success"], bySchemeAndResult);
    }

    [Fact]
    public async Task An_authentication_OnTokenValidated_completes_itself_is_still_counted_once_as_a_success()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Events.OnTokenValidated = context =>
            {
                context.Success();
                return Task.CompletedTask;
            };
        });
        using var counted = Collect<long>(host, Authentications);

        var response = await host.GetAsync("/protected", PipelineHost.Token());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal("bearer_auth.result=success, bearer_auth.scheme=Bearer", TagsOf(measurement));
    }

    public static TheoryData<string, string> MessageReceivedResults { get; } = new()
    {
        { "success", "bearer_auth.result=success, bearer_auth.scheme=Bearer" },
        { "no result", "bearer_auth.result=none, bearer_auth.scheme=Bearer" },
        { "fail", "bearer_auth.reason=token_rejected, bearer_auth.result=failure, bearer_auth.scheme=Bearer" },
        { "fail with a reason", "bearer_auth.reason=token_revoked, bearer_auth.result=failure, bearer_auth.scheme=Bearer" },
    };

    [Theory]
    [MemberData(nameof(MessageReceivedResults))]
    public async Task An_authentication_OnMessageReceived_ends_itself_is_still_counted_once_by_its_result(string result, string expectedTags)
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.Events.OnMessageReceived = context =>
            {
                switch (result)
                {
                    case "success":
                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "app")], context.Scheme.Name));
                        context.Success();
                        break;
                    case "no result":
                        context.NoResult();
                        break;
                    case "fail":
                        context.Fail("refused by the application");
                        break;
                    default:
                        context.Fail(new BearerJwtException(TokenFailureReason.TokenRevoked));
                        break;
                }

                return Task.CompletedTask;
            };
        });
        using var counted = Collect<long>(host, Authentications);

        await host.GetAsync("/protected", PipelineHost.Token());

        var measurement = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(expectedTags, TagsOf(measurement));
    }

    [Fact]
    public async Task A_stand_alone_validator_records_into_its_settings_meter_factory_with_result_error_when_a_seam_throws()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var fixture = new ValidatorFixture();
        var failing = new BearerJwtValidator(fixture.Validator.Settings with { MeterFactory = meterFactory, RevocationCheck = new ThrowingSeam() });
        var working = new BearerJwtValidator(fixture.Validator.Settings with { MeterFactory = meterFactory });
        using var timed = new MetricCollector<double>(meterFactory, BearerJwtDefaults.TelemetryName, ValidationDuration);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing.ValidateAsync(token, Ct));
        await working.ValidateAsync(token, Ct);
        await working.ValidateAsync(TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now.AddHours(-1))), Ct);

        Assert.Equal(
            ["bearer_auth.result=error", "bearer_auth.result=success", "bearer_auth.reason=token_expired, bearer_auth.result=failure"],
            timed.GetMeasurementSnapshot().Select(TagsOf));
    }

    [Fact]
    public async Task The_handler_counts_on_the_instruments_its_validator_times_on()
    {
        await using var host = await PipelineHost.StartAsync();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme);

        Assert.NotNull(options.Telemetry);
        Assert.Same(options.Validator!.Telemetry, options.Telemetry);
    }

    private static MetricCollector<T> Collect<T>(PipelineHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), BearerJwtDefaults.TelemetryName, instrument);

    /// <summary>A measurement's tags as <c>name=value</c>, sorted by name: pins the exact set, absent tags included.</summary>
    private static string TagsOf<T>(CollectedMeasurement<T> measurement)
        where T : struct =>
        string.Join(", ", measurement.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
}
