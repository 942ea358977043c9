namespace MvcSample.Services;

/// <summary>
/// The one client of the sample. Refresh tokens are bound to a client; the sample has no client registration, so
/// every token it issues belongs to this fixed id and a refresh always presents it.
/// </summary>
public static class SampleClient
{
    public const string Id = "mvcsample";
}
