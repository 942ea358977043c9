namespace Bearer.Auth.Tests.Diagnostics;

/// <summary>
/// The tests that attach a process-wide listener to the <c>Bearer.Auth</c> activity source or meter, or need none to
/// be attached: they run one at a time, so a test asserting "nobody listens" never sees another test's listener.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessWideListeners
{
    internal const string Name = "Process-wide Bearer.Auth listeners";
}
