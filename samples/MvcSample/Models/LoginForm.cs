namespace MvcSample.Models;

/// <summary>The login form's fields, and what it shows when it comes back.</summary>
public sealed class LoginForm
{
    /// <summary>The username typed.</summary>
    public string? UserName { get; set; }

    /// <summary>The password typed; never sent back to the page.</summary>
    public string? Password { get; set; }

    /// <summary>Where to go after sign-in: a local URL, else nothing.</summary>
    public string? ReturnUrl { get; set; }

    /// <summary>Why the last attempt failed, shown above the form.</summary>
    public string? Error { get; set; }
}
