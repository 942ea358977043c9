namespace Bearer.Auth;

/// <summary>What <see cref="JwsParser"/> read; mutable so the readers fill it in place, and passed by reference.</summary>
internal struct ParsedToken
{
    internal ParsedHeader Header;
    internal RegisteredClaims Claims;
    internal int FirstDot;
    internal int SecondDot;

    /// <summary>Whether <see cref="Header"/> came from the header memo (so it need not be remembered again).</summary>
    internal bool HeaderFromMemo;
}
