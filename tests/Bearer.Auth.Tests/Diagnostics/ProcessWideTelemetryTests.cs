using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Bearer.Auth.Tests.Diagnostics;

/// <summary>
/// What needs the process-wide listeners to itself: validators created without an <see cref="IMeterFactory"/> record
/// into the process-wide <c>Bearer.Auth</c> meter, and when nobody listens (to a meter or to the activity source)
/// telemetry costs a validation nothing, pinned in bytes: a repeat-token cache hit allocates nothing but the compiler's
/// async state machine (nothing at all in an optimized build), and the hooks themselves allocate nothing.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class ProcessWideTelemetryTests
{
    private const int Validations = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_listener_a_cached_validation_allocates_nothing_but_the_compilers_state_machine_and_with_one_it_is_traced()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload());
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await fixture.Validator.ValidateAsync(token, Ct)).Succeeded);
        }

        Assert.Equal(1, fixture.Validator.RepeatTokens!.Count);
        Assert.False(BearerJwtTelemetry.ActivitySource.HasListeners(), "Another test left a listener on the Bearer.Auth activity source.");
        var expected = Validations * StateMachineBytes();
        var valid = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Validations; i++)
        {
            var pending = fixture.Validator.ValidateAsync(token, Ct);
            if (pending.IsCompletedSuccessfully && (await pending).Succeeded)
            {
                valid++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Validations, valid);
        Assert.Equal(expected, allocated);

        // The same path is instrumented: a listener attached now sees the next validation.
        using var recorder = new ActivityRecorder();
        using var trace = ActivityRecorder.StartTestTrace();
        Assert.True((await fixture.Validator.ValidateAsync(token, Ct)).Succeeded);
        Assert.Single(recorder.InTrace(trace.TraceId));
    }

    [Fact]
    public void With_no_listener_the_telemetry_hooks_allocate_nothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        BearerJwtTelemetry[] telemetries = [BearerJwtTelemetry.Create(null), BearerJwtTelemetry.Create(services.GetRequiredService<IMeterFactory>())];
        var context = new TokenValidationContext { Source = TokenSource.AuthorizationHeader, Method = "GET", Url = "https://api.example/" };
        Exercise(telemetries, context);

        Assert.False(BearerJwtTelemetry.ActivitySource.HasListeners(), "Another test left a listener on the Bearer.Auth activity source.");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Validations; i++)
        {
            Exercise(telemetries, context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Every hook a request calls, for each result.</summary>
    private static void Exercise(BearerJwtTelemetry[] telemetries, in TokenValidationContext context)
    {
        foreach (var telemetry in telemetries)
        {
            telemetry.StopValidation(telemetry.StartValidation(context), TokenFailureReason.None, token: null);
            telemetry.StopValidation(telemetry.StartValidation(context), TokenFailureReason.TokenExpired, token: null);
            telemetry.StopValidation(telemetry.StartValidation(context), outcome: null, token: null);
            telemetry.RecordAuthentication(BearerJwtDefaults.AuthenticationScheme, TokenFailureReason.None);
            telemetry.RecordAuthentication(BearerJwtDefaults.AuthenticationScheme, TokenFailureReason.TokenMissing);
            telemetry.RecordAuthentication(BearerJwtDefaults.AuthenticationScheme, TokenFailureReason.HeaderDuplicate);
        }
    }

    /// <summary>
    /// The bytes of <see cref="BearerJwtValidator.ValidateAsync(string, TokenValidationContext, CancellationToken)"/>'s
    /// own async state machine: 0 in an optimized build (a struct on the stack when the method completes
    /// synchronously), the size of the class a Debug build allocates on every call otherwise.
    /// </summary>
    private static long StateMachineBytes()
    {
        var method = typeof(BearerJwtValidator).GetMethod(
            nameof(BearerJwtValidator.ValidateAsync), [typeof(string), typeof(TokenValidationContext), typeof(CancellationToken)])!;
        var stateMachine = method.GetCustomAttribute<AsyncStateMachineAttribute>()!.StateMachineType;
        if (stateMachine.IsValueType)
        {
            return 0;
        }

        RuntimeHelpers.GetUninitializedObject(stateMachine);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RuntimeHelpers.GetUninitializedObject(stateMachine);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public async Task Without_a_meter_factory_validations_are_recorded_by_the_process_wide_meter()
    {
        using var fixture = new ValidatorFixture();
        Assert.Null(fixture.Validator.Settings.MeterFactory);
        var failing = new BearerJwtValidator(fixture.Validator.Settings with { RevocationCheck = new ThrowingSeam() });
        using var timed = new MetricCollector<double>(meterScope: null, BearerJwtDefaults.TelemetryName, "bearer_auth.validation.duration");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing.ValidateAsync(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload()), Ct));

        // Validators of tests outside this collection may record meanwhile, but none of them throws from a seam.
        Assert.Single(timed.GetMeasurementSnapshot(), m => Equals(m.Tags["bearer_auth.result"], "error"));
    }
}
