using Microsoft.Playwright;

namespace MvcSample.Tests.Support;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package), driven by Playwright. Playwright never downloads a
/// browser here: it launches the executable found on PATH or at <c>/usr/bin/chromium</c>, headless, with the
/// background services that would dial out turned off (this machine's network is closed; only 127.0.0.1 is used).
/// </summary>
internal static class SystemChromium
{
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>
    /// The Chromium executable: the file <c>BEARER_AUTH_CHROMIUM</c> names when it is set (a path that does not exist
    /// means none), else <c>chromium</c> on PATH, else <c>/usr/bin/chromium</c>, else <see langword="null"/>.
    /// </summary>
    internal static string? Find()
    {
        if (Environment.GetEnvironmentVariable("BEARER_AUTH_CHROMIUM") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? chosen : null;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }

    /// <summary>
    /// Skips the test, with the reason, when Chromium is missing; fails it instead under
    /// <c>BEARER_AUTH_REQUIRE_INTEGRATION=1</c> (as in CI, where <c>.ci/run</c> installs it).
    /// </summary>
    internal static void Require(string? executable, string? startFailure)
    {
        var missing = executable is null
            ? "Chromium is not installed (apt-get install chromium): the browser tests need it on PATH or at /usr/bin/chromium."
            : startFailure;
        if (missing is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("BEARER_AUTH_REQUIRE_INTEGRATION") == "1")
        {
            Assert.Fail(missing);
        }

        Assert.Skip(missing);
    }

    /// <summary>Starts Playwright's driver and launches <paramref name="executable"/> headless.</summary>
    internal static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(string executable)
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
