namespace Bearer.Auth;

/// <summary>What a revocation names: one token (<c>jti</c>), a session (<c>sid</c>) or a subject (<c>sub</c>).</summary>
internal enum RevocationKind
{
    /// <summary>One token, by its <c>jti</c>.</summary>
    Token,

    /// <summary>Every token of a session, by its <c>sid</c>.</summary>
    Session,

    /// <summary>Every token of a subject issued before a cut-off, by its <c>sub</c>.</summary>
    Subject,
}
