namespace Bearer.Auth.Tests.Properties;

/// <summary>An array of values, in order.</summary>
internal sealed record JsonArray(JsonTree[] Items) : JsonTree;
