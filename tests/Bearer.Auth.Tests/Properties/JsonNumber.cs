namespace Bearer.Auth.Tests.Properties;

/// <summary>A number as its JSON text, so every form (big, negative zero, fraction, exponent) is written as drawn.</summary>
internal sealed record JsonNumber(string Text) : JsonTree;
