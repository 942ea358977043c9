using Microsoft.Playwright;

namespace MvcSample.Tests.Support;

/// <summary>
/// The built sample on Kestrel at <c>http://127.0.0.1:&lt;free port&gt;</c> (access tokens live 4 seconds, so the
/// tests can watch them be refreshed) and one headless system Chromium, shared by a test class; each test opens its
/// own browser context (fresh cookies). Nothing starts when Chromium is missing: <see cref="Require"/> skips.
/// </summary>
public sealed class SampleInChromium : IAsyncLifetime
{
    /// <summary>The access-token lifetime the sample runs with here.</summary>
    internal static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(4);

    private readonly string? _executable = SystemChromium.Find();
    private SampleProcess? _sample;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _startFailure;

    /// <summary>The sample's address, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    internal string BaseUrl => $"http://127.0.0.1:{_sample!.Port}";

    /// <summary>Where screenshots go: <c>browser-artifacts/</c> in the test output folder.</summary>
    internal static string ArtifactsFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-artifacts")).FullName;

    /// <summary>Everything the sample printed, for failure messages.</summary>
    internal string SampleOutput => _sample?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (_executable is null)
        {
            return;
        }

        try
        {
            _sample = await SampleProcess.StartAsync(new Dictionary<string, string?>
            {
                ["Sessions__AccessTokenLifetime"] = AccessTokenLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            });
            (_playwright, _browser) = await SystemChromium.LaunchAsync(_executable);
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or TimeoutException)
        {
            _startFailure = $"Chromium ({_executable}) could not be started with Playwright: {e.Message}";
        }
    }

    /// <summary>Skips (or, under BEARER_AUTH_REQUIRE_INTEGRATION=1, fails) the test when there is no browser.</summary>
    internal void Require() => SystemChromium.Require(_executable, _browser is null ? _startFailure ?? "Chromium did not start." : null);

    /// <summary>A fresh browser context (no cookies) whose relative URLs are the sample's.</summary>
    internal Task<IBrowserContext> NewContextAsync() =>
        _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 900, Height = 600 } });

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }
}
