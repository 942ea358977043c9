namespace Bearer.Auth.Tests.Properties;

/// <summary>A string, written by System.Text.Json with its own escapes.</summary>
internal sealed record JsonString(string Value) : JsonTree;
