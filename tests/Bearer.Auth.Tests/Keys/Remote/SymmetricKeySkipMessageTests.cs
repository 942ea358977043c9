using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>A shared secret in a fetched key set is skipped with a message that names the setting allowing it.</summary>
public sealed class SymmetricKeySkipMessageTests : IAsyncLifetime
{
    private const string Skipped = "Key 1 (kid 'shared-secret'): symmetric ('oct') key skipped: keys from a remote key set are used only when " +
        "RemoteKeys:AllowSymmetricKeys is true (publishing a shared secret is almost always a mistake).";

    private readonly TestKey _good = new("good");
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await JwksTestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _good.Dispose();
    }

    [Fact]
    public async Task A_skipped_oct_key_is_logged_as_skipped_naming_RemoteKeys_AllowSymmetricKeys()
    {
        _server.Publish(_good);
        _server.ExtraJwks.Add($$"""{"kty":"oct","kid":"shared-secret","alg":"HS256","k":"{{TestJwt.B64(RandomNumberGenerator.GetBytes(32))}}"}""");
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);

        await harness.WarmUpAsync();

        var skipped = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeySkipped");
        Assert.Equal($"Key set from {_server.BaseUrl}/.well-known/openid-configuration: a key was skipped: {Skipped}", skipped.Message);
    }

    [Fact]
    public async Task A_set_of_shared_secrets_only_fails_naming_RemoteKeys_AllowSymmetricKeys()
    {
        _server.Publish();
        _server.ExtraJwks.Add($$"""{"kty":"oct","kid":"shared-secret","alg":"HS256","k":"{{TestJwt.B64(RandomNumberGenerator.GetBytes(32))}}"}""");
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);

        await harness.WarmUpAsync();

        Assert.Equal(
            "The key set has no usable signing key. " + Skipped.Replace("Key 1", "Key 0", StringComparison.Ordinal),
            Assert.Single(harness.Resolver.Sources).GetStatus().LastError);
    }
}
