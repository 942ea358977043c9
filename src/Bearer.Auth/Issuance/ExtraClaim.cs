namespace Bearer.Auth;

/// <summary>The JSON type of an <see cref="ExtraClaim"/>.</summary>
internal enum ExtraClaimKind : byte
{
    String,
    Integer,
    Number,
    True,
    False,
    StringArray,
}

/// <summary>One extra claim of an <see cref="AccessTokenRequest"/>: a name and one value of the kind it says (no boxing).</summary>
internal readonly record struct ExtraClaim(string Name, ExtraClaimKind Kind, string? Text, string[]? Texts, long Integer, double Number);
