using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>A bad <c>Sessions:*</c> value stops the sample at start-up with a message naming the key and the value read.</summary>
public sealed class SessionConfigurationTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("Sessions:AccessTokenLifetime", "300", "Sessions:AccessTokenLifetime is '300' (read as 300.00:00:00); it must be between 00:00:01 and 1.00:00:00.")]
    [InlineData("Sessions:AccessTokenLifetime", "00:00:00", "Sessions:AccessTokenLifetime is '00:00:00' (read as 00:00:00); it must be between 00:00:01 and 1.00:00:00.")]
    [InlineData("Sessions:AccessTokenLifetime", "fifteen minutes", "Sessions:AccessTokenLifetime is 'fifteen minutes', which is not a TimeSpan (write e.g. 00:15:00 for 15 minutes).")]
    [InlineData("Sessions:RefreshTokenLifetime", "-1.00:00:00", "Sessions:RefreshTokenLifetime is '-1.00:00:00' (read as -1.00:00:00); it must be greater than zero and at most 3650 days.")]
    [InlineData("Sessions:RefreshTokenLifetime", "31.00:00:00", "Sessions:RefreshTokenLifetime is '31.00:00:00' (read as 31.00:00:00); it must not exceed Sessions:SessionLifetime (30.00:00:00), which ends every token of the session.")]
    [InlineData("Sessions:SessionLifetime", "5000.00:00:00", "Sessions:SessionLifetime is '5000.00:00:00' (read as 5000.00:00:00); it must be greater than zero and at most 3650 days.")]
    [InlineData("Sessions:SessionLifetime", "x", "Sessions:SessionLifetime is 'x', which is not a TimeSpan (write e.g. 00:15:00 for 15 minutes).")]
    [InlineData("Sessions:RefreshReuseGracePeriod", "-00:00:01", "Sessions:RefreshReuseGracePeriod is '-00:00:01' (read as -00:00:01); it must be zero (no retries) or more.")]
    [InlineData("Sessions:RefreshReuseGracePeriod", "14.00:00:00", "Sessions:RefreshReuseGracePeriod is '14.00:00:00' (read as 14.00:00:00); it must be shorter than Sessions:RefreshTokenLifetime (14.00:00:00).")]
    public void A_bad_value_stops_start_up_naming_the_key_and_the_value(string key, string value, string message)
    {
        using var configured = ConfiguredSample.With(factory, new() { [key] = value });

        var error = Record.Exception(() => configured.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(message, Messages(error), StringComparer.Ordinal);
    }

    [Fact]
    public void Valid_values_start_the_sample()
    {
        using var configured = ConfiguredSample.With(factory, new()
        {
            ["Sessions:AccessTokenLifetime"] = "00:05:00",
            ["Sessions:RefreshTokenLifetime"] = "1.00:00:00",
            ["Sessions:SessionLifetime"] = "7.00:00:00",
            ["Sessions:RefreshReuseGracePeriod"] = "00:00:00",
        });

        using var client = configured.CreateClient();

        Assert.NotNull(client.BaseAddress);
    }

    [Fact]
    public async Task A_day_long_access_token_keeps_each_signing_key_published_a_day_and_the_clock_skew_after_it_retires()
    {
        using var configured = ConfiguredSample.With(factory, new() { ["Sessions:AccessTokenLifetime"] = "1.00:00:00" });
        using var client = configured.CreateClient();

        var token = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");

        Assert.False(string.IsNullOrEmpty(token));
        var ring = configured.Services.GetRequiredService<Bearer.Auth.SigningKeyRing>();
        Assert.Equal(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5), ring.RetentionAfterRetirement);
    }

    /// <summary>Every failure message inside <paramref name="error"/>, wherever the host wrapped it.</summary>
    private static List<string> Messages(Exception error)
    {
        var messages = new List<string>();
        void Collect(Exception e)
        {
            if (e is Microsoft.Extensions.Options.OptionsValidationException validation)
            {
                messages.AddRange(validation.Failures);
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    Collect(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                Collect(inner);
            }
        }

        Collect(error);
        return messages;
    }
}
