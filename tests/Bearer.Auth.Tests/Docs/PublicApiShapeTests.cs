namespace Bearer.Auth.Tests.Docs;

/// <summary>
/// The public surface stays small and regular: public types in two namespaces only (the library's, and the DI
/// extensions where ASP.NET Core puts its own), one product prefix, and XML docs on every public member (the build
/// fails otherwise; the member list itself is PublicAPI.Shipped/Unshipped.txt).
/// </summary>
public sealed class PublicApiShapeTests
{
    private static readonly Type[] PublicTypes = typeof(BearerJwtValidator).Assembly.GetExportedTypes();

    [Fact]
    public void Public_types_live_in_two_namespaces()
    {
        Assert.Equal(
            ["Bearer.Auth", "Microsoft.Extensions.DependencyInjection"],
            PublicTypes.Select(t => t.Namespace!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_extension_classes_live_in_the_dependency_injection_namespace()
    {
        Assert.All(
            PublicTypes.Where(t => t.Namespace == "Microsoft.Extensions.DependencyInjection"),
            t => Assert.True(t.IsAbstract && t.IsSealed && t.Name.StartsWith("BearerJwt", StringComparison.Ordinal) && t.Name.EndsWith("Extensions", StringComparison.Ordinal), t.Name));
    }

    [Fact]
    public void Product_prefixed_types_use_one_prefix()
    {
        var prefixed = PublicTypes.Where(t => t.Name.StartsWith("Bearer", StringComparison.Ordinal)).Select(t => t.Name).ToList();

        Assert.NotEmpty(prefixed);
        Assert.All(prefixed, name => Assert.StartsWith("BearerJwt", name, StringComparison.Ordinal));
    }
}
