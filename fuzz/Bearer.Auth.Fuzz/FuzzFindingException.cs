namespace Bearer.Auth.Fuzz;

/// <summary>The library broke a promise the fuzz target checks: AFL++ records the input as a crash.</summary>
internal sealed class FuzzFindingException : Exception
{
    /// <summary>Creates the finding.</summary>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the finding with the exception that revealed it.</summary>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
