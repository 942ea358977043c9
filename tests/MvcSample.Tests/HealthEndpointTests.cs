using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary><c>GET /health</c> on the embedded default (memory): the scheme's keys are there, so it is healthy.</summary>
public sealed class HealthEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_default_sample_reports_healthy_without_authentication()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.GetAsync(client, "/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(SampleApi.Cancellation));
    }
}
