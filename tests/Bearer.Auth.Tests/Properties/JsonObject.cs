namespace Bearer.Auth.Tests.Properties;

/// <summary>An object's members in the order written (the generators draw distinct names).</summary>
internal sealed record JsonObject(List<(string Name, JsonTree Value)> Members) : JsonTree;
