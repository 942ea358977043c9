namespace Bearer.Auth.Tests.Properties;

/// <summary>A JSON value the generators build and System.Text.Json writes: what a token's reader must give back.</summary>
internal abstract record JsonTree;
