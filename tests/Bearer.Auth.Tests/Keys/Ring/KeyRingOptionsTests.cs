using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Keys.Ring;

/// <summary>Ring settings that contradict each other are refused at start-up, naming the setting and the value read.</summary>
public sealed class KeyRingOptionsTests
{
    public static TheoryData<string, Action<BearerJwtKeyRingOptions>, string> InvalidOptions => new()
    {
        { "unknown algorithm", o => o.Algorithm = "ES257", "BearerJwtKeyRingOptions.Algorithm must be one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, not 'ES257'." },
        { "none", o => o.Algorithm = "none", "BearerJwtKeyRingOptions.Algorithm must be one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, not 'none'." },
        { "zero rotation", o => o.RotationInterval = TimeSpan.Zero, "BearerJwtKeyRingOptions.RotationInterval is 00:00:00; it must be greater than zero and at most 3650 days." },
        { "rotation within the lead", o => o.RotationInterval = TimeSpan.FromHours(2), "BearerJwtKeyRingOptions.RotationInterval is 02:00:00; it must exceed PublicationLead (02:00:00): a key that signs for less time than its successor is published ahead would keep the ring creating keys." },
        { "negative lead", o => o.PublicationLead = TimeSpan.FromHours(-1), "BearerJwtKeyRingOptions.PublicationLead is -01:00:00; it must be greater than zero and at most 3650 days." },
        { "lead within the refresh", o => o.PublicationLead = TimeSpan.FromSeconds(30), "BearerJwtKeyRingOptions.PublicationLead is 00:00:30; it must exceed RefreshInterval (00:01:00), so every instance sharing the store reads a new key before it signs." },
        { "no retention", o => o.RetentionAfterRetirement = TimeSpan.Zero, "BearerJwtKeyRingOptions.RetentionAfterRetirement is 00:00:00; it must be greater than zero and at most 3650 days." },
        { "retention over ten years", o => o.RetentionAfterRetirement = TimeSpan.FromDays(3651), "BearerJwtKeyRingOptions.RetentionAfterRetirement is 3651.00:00:00; it must be greater than zero and at most 3650 days." },
        { "refresh over a day", o => { o.RefreshInterval = TimeSpan.FromDays(2); o.PublicationLead = TimeSpan.FromDays(3); o.RotationInterval = TimeSpan.FromDays(30); }, "BearerJwtKeyRingOptions.RefreshInterval is 2.00:00:00; it must be greater than zero and at most 1 day." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_listed_and_refused_by_the_ring(string name, Action<BearerJwtKeyRingOptions> configure, string message)
    {
        var options = new BearerJwtKeyRingOptions();
        configure(options);

        Assert.Equal([message], options.Validate());
        var thrown = Assert.Throws<ArgumentException>(() => new SigningKeyRing(new InMemorySigningKeyStore(), options));
        Assert.Equal($"{message} (Parameter 'options')", thrown.Message);
        _ = name; // the row's label: it names the case in the test list
    }

    [Fact]
    public void The_defaults_are_ES256_thirty_day_keys_published_two_hours_ahead_and_kept_a_day()
    {
        var options = new BearerJwtKeyRingOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(JwsAlgorithms.ES256, options.Algorithm);
        Assert.Equal(TimeSpan.FromDays(30), options.RotationInterval);
        Assert.Equal(TimeSpan.FromHours(2), options.PublicationLead);
        Assert.Equal(TimeSpan.FromDays(1), options.RetentionAfterRetirement);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RefreshInterval);
    }

    [Fact]
    public void Invalid_options_registered_in_DI_fail_at_start_up_with_the_message()
    {
        var services = new ServiceCollection();
        services.AddBearerJwtSigningKeyRing(o => o.PublicationLead = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BearerJwtKeyRingOptions>>().Value);
        Assert.Contains("BearerJwtKeyRingOptions.PublicationLead is 00:00:00; it must be greater than zero and at most 3650 days.", thrown.Failures);
    }

    [Fact]
    public async Task A_store_registered_before_the_ring_is_the_one_it_uses()
    {
        var store = new InMemorySigningKeyStore();
        var services = new ServiceCollection();
        services.AddSingleton<ISigningKeyStore>(store);
        services.AddBearerJwtSigningKeyRing();
        using var provider = services.BuildServiceProvider();

        var key = provider.GetRequiredService<SigningKeyRing>().GetSigningKey();

        Assert.Same(store, provider.GetRequiredService<ISigningKeyStore>());
        Assert.Equal(key.KeyId, Assert.Single((await store.LoadAsync(TestContext.Current.CancellationToken))).KeyId);
    }

    [Fact]
    public async Task The_host_creates_the_first_key_at_start_up_and_starts_even_with_the_store_down()
    {
        var time = KeyRings.Clock();
        var store = new CountingKeyStore(time);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ISigningKeyStore>(store);
        builder.Services.AddBearerJwtSigningKeyRing();
        using (var host = builder.Build())
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            Assert.Single(await store.LoadAsync(TestContext.Current.CancellationToken));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var down = new CountingKeyStore(time) { FailLoads = true };
        var failing = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        failing.Services.AddSingleton<TimeProvider>(time);
        failing.Services.AddSingleton<ISigningKeyStore>(down);
        failing.Services.AddBearerJwtSigningKeyRing();
        using var started = failing.Build();
        await started.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, down.Loads);
        await started.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void An_issuer_refuses_both_a_key_and_a_ring()
    {
        var options = TokenIssuerOptions(new SigningKeyRing(new InMemorySigningKeyStore(), new BearerJwtKeyRingOptions()));
        options.SigningKey = SignedTokens.Generated(JwsAlgorithms.ES256);

        var problem = Assert.Single(options.Validate());
        Assert.Equal($"BearerJwtIssuerOptions.SigningKey ('{options.SigningKey.KeyId}') and SigningKeyRing are both set; set one: a fixed key, or keys the ring rotates.", problem);
    }

    [Fact]
    public void An_issuer_refuses_tokens_that_would_outlive_the_retention_of_their_key()
    {
        var ring = new SigningKeyRing(new InMemorySigningKeyStore(), new BearerJwtKeyRingOptions { RetentionAfterRetirement = TimeSpan.FromMinutes(20) });
        var options = TokenIssuerOptions(ring);
        options.AccessTokenLifetime = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1);

        var problem = Assert.Single(options.Validate());
        Assert.Equal("BearerJwtIssuerOptions.AccessTokenLifetime is 00:15:01; with the clock skew (00:05:00) it outlasts the ring's RetentionAfterRetirement (00:20:00), so a token could outlive the key that verifies it. Shorten the lifetime or lengthen the retention.", problem);
        Assert.Throws<ArgumentException>(() => new BearerJwtTokenIssuer(options));

        options.AccessTokenLifetime = TimeSpan.FromMinutes(15);
        Assert.Empty(options.Validate());
    }

    private static BearerJwtIssuerOptions TokenIssuerOptions(SigningKeyRing ring) => new()
    {
        Issuer = TestJwt.Issuer,
        Audiences = { TestJwt.Audience },
        SigningKeyRing = ring,
    };
}
