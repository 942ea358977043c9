using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Sessions;

/// <summary>
/// Refresh-token lifetimes that contradict each other are refused, at start-up through DI and at construction
/// otherwise, with a message naming the setting and the value read; the defaults are 14 days, 30 days and 30 s.
/// </summary>
public sealed class RefreshTokenOptionsTests
{
    public static TheoryData<string, TimeSpan, TimeSpan, TimeSpan, string> InvalidSetups => new()
    {
        { "RefreshTokenLifetime", TimeSpan.Zero, TimeSpan.FromDays(30), TimeSpan.FromSeconds(30), "BearerJwtRefreshTokenOptions.RefreshTokenLifetime is 00:00:00; it must be greater than zero" },
        { "RefreshTokenLifetime", TimeSpan.FromDays(-1), TimeSpan.FromDays(30), TimeSpan.Zero, "BearerJwtRefreshTokenOptions.RefreshTokenLifetime is -1.00:00:00; it must be greater than zero" },
        { "SessionLifetime", TimeSpan.FromDays(14), TimeSpan.FromDays(4000), TimeSpan.FromSeconds(30), "BearerJwtRefreshTokenOptions.SessionLifetime is 4000.00:00:00; it must be greater than zero and at most 3650 days." },
        { "RefreshTokenLifetime", TimeSpan.FromDays(31), TimeSpan.FromDays(30), TimeSpan.FromSeconds(30), "BearerJwtRefreshTokenOptions.RefreshTokenLifetime is 31.00:00:00; it must not exceed SessionLifetime (30.00:00:00)" },
        { "RefreshReuseGracePeriod", TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromSeconds(-1), "BearerJwtRefreshTokenOptions.RefreshReuseGracePeriod is -00:00:01; it must be zero (no retries) or more." },
        { "RefreshReuseGracePeriod", TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), TimeSpan.FromMinutes(1), "BearerJwtRefreshTokenOptions.RefreshReuseGracePeriod is 00:01:00; it must be shorter than RefreshTokenLifetime (00:01:00)" },
    };

    [Theory]
    [MemberData(nameof(InvalidSetups))]
    public void Contradicting_lifetimes_are_refused_at_construction_naming_the_setting(string setting, TimeSpan idle, TimeSpan session, TimeSpan grace, string message)
    {
        var options = new BearerJwtRefreshTokenOptions { RefreshTokenLifetime = idle, SessionLifetime = session, RefreshReuseGracePeriod = grace };

        var error = Assert.Throws<ArgumentException>(() => new BearerJwtRefreshTokens(new InMemoryRefreshTokenStore(), Microsoft.Extensions.Options.Options.Create(options)));

        Assert.Equal(setting, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidSetups))]
    public void Contradicting_lifetimes_are_refused_at_start_up(string setting, TimeSpan idle, TimeSpan session, TimeSpan grace, string message)
    {
        var services = new ServiceCollection().AddBearerJwtRefreshTokens(o =>
        {
            o.RefreshTokenLifetime = idle;
            o.SessionLifetime = session;
            o.RefreshReuseGracePeriod = grace;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BearerJwtRefreshTokenOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
        Assert.Contains(setting, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_are_14_days_idle_30_days_per_session_and_a_30_second_grace_period()
    {
        using var provider = new ServiceCollection().AddBearerJwtRefreshTokens().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<BearerJwtRefreshTokenOptions>>().Value;
        var tokens = provider.GetRequiredService<BearerJwtRefreshTokens>();

        Assert.Equal(TimeSpan.FromDays(14), options.RefreshTokenLifetime);
        Assert.Equal(TimeSpan.FromDays(30), options.SessionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RefreshReuseGracePeriod);
        Assert.IsType<InMemoryRefreshTokenStore>(provider.GetRequiredService<IRefreshTokenStore>());
        var start = await tokens.StartSessionAsync("alice", "web-app", TestContext.Current.CancellationToken);
        Assert.True((await tokens.RefreshAsync(start.RefreshToken, "web-app", TestContext.Current.CancellationToken)).Succeeded);
    }
}
