namespace Bearer.Auth.Tests.Properties;

/// <summary><c>true</c>, <c>false</c> or <c>null</c>.</summary>
internal sealed record JsonLiteral(string Text) : JsonTree;
