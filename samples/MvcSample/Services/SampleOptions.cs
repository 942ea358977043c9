namespace MvcSample.Services;

/// <summary>The sample's own settings, bound from the <c>Sample</c> configuration section.</summary>
public sealed class SampleOptions
{
    public const string SectionName = "Sample";

    /// <summary>The <c>iss</c> of the tokens the sample issues (<c>Sample:Issuer</c>).</summary>
    public string Issuer { get; set; } = "https://localhost/mvcsample";

    /// <summary>The <c>aud</c> of the tokens the sample issues (<c>Sample:Audience</c>).</summary>
    public string Audience { get; set; } = "mvcsample-api";
}
