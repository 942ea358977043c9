using Microsoft.Extensions.Hosting;

namespace Bearer.Auth;

/// <summary>
/// Reads the ring's store (and creates its first key) at start-up, so the first token does not wait for the store.
/// Never fails start-up: with the store down, the ring answers as it can and tries again on use.
/// </summary>
internal sealed class SigningKeyRingWarmUpService(SigningKeyRing ring) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ring.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SigningKeyUnavailableException)
        {
            // Logged by the ring.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
