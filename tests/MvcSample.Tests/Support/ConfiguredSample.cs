using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MvcSample.Tests.Support;

/// <summary>Hosts the sample with extra configuration, as appsettings or user secrets would supply it.</summary>
internal static class ConfiguredSample
{
    internal static WebApplicationFactory<Program> With(WebApplicationFactory<Program> factory, Dictionary<string, string?> settings) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings)));
}
