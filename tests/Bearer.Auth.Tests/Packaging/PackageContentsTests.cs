using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using Bearer.Auth.Tests.Docs;

namespace Bearer.Auth.Tests.Packaging;

/// <summary>
/// What <c>dotnet pack</c> gives is a package we would publish: named by the project's version, with the README, the
/// licence, XML docs for every public member, no dependency but the shared framework, and a symbol package whose
/// portable PDB belongs to the packaged assembly and embeds its sources.
/// </summary>
public sealed class PackageContentsTests(PackedLibrary package) : IClassFixture<PackedLibrary>
{
    private const string LibraryFolder = "lib/net10.0/";

    [Fact]
    public void Pack_writes_the_package_and_its_symbol_package_named_by_the_version()
    {
        Assert.Equal([$"Bearer.Auth.{PackedLibrary.Version}.nupkg", $"Bearer.Auth.{PackedLibrary.Version}.snupkg"], package.Files);
    }

    [Fact]
    public void The_package_carries_the_readme_and_the_licence_and_names_them()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var metadata = Nuspec(zip);

        Assert.Equal(RepositoryFiles.Read("README.md"), Text(zip, "README.md"));
        Assert.Equal(RepositoryFiles.Read("LICENSE"), Text(zip, "LICENSE"));
        Assert.Equal("README.md", Element(metadata, "readme").Value);
        var license = Element(metadata, "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal(("Bearer.Auth", PackedLibrary.Version), (Element(metadata, "id").Value, Element(metadata, "version").Value));
    }

    [Fact]
    public void The_package_depends_on_nothing_but_the_asp_net_core_shared_framework()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var metadata = Nuspec(zip);

        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Equal(
            ["Microsoft.AspNetCore.App"],
            metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => (string?)e.Attribute("name")));
        Assert.Equal(
            [LibraryFolder + "Bearer.Auth.dll", LibraryFolder + "Bearer.Auth.xml"],
            zip.Entries.Select(e => e.FullName).Where(name => name.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_package_documents_every_public_member()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var documentation = XDocument.Parse(Text(zip, LibraryFolder + "Bearer.Auth.xml"));
        var documented = documentation.Descendants("member")
            .Where(member => member.HasElements)
            .Select(member => (string)member.Attribute("name")!)
            .ToHashSet(StringComparer.Ordinal);

        var visible = DocumentationIds.VisibleMembers(typeof(BearerJwtValidator).Assembly).ToList();

        Assert.Equal("Bearer.Auth", documentation.Root!.Element("assembly")!.Element("name")!.Value);
        Assert.Contains("T:Bearer.Auth.BearerJwtOptions", visible);
        Assert.Empty(visible.Except(documented, StringComparer.Ordinal));
    }

    [Fact]
    public void The_symbol_package_holds_the_portable_pdb_of_the_packaged_assembly_with_every_source_embedded()
    {
        using var packageZip = ZipFile.OpenRead(package.PackagePath);
        using var symbolZip = ZipFile.OpenRead(package.SymbolPackagePath);
        using var assembly = new PEReader(new MemoryStream(Bytes(packageZip, LibraryFolder + "Bearer.Auth.dll")));
        using var symbols = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Bytes(symbolZip, LibraryFolder + "Bearer.Auth.pdb")));
        var pdb = symbols.GetMetadataReader();

        var codeView = assembly.ReadCodeViewDebugDirectoryData(assembly.ReadDebugDirectory().Single(entry => entry.Type == DebugDirectoryEntryType.CodeView));
        var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        var documents = pdb.Documents.ToList();

        Assert.Equal(codeView.Guid, new BlobContentId(pdb.DebugMetadataHeader!.Id).Guid);
        Assert.Contains(documents, d => pdb.GetString(pdb.GetDocument(d).Name).EndsWith("BearerJwtHandler.cs", StringComparison.Ordinal));
        Assert.All(documents, d => Assert.Contains(
            pdb.GetCustomDebugInformation(d),
            c => pdb.GetGuid(pdb.GetCustomDebugInformation(c).Kind) == embeddedSource));
    }

    private static XElement Nuspec(ZipArchive zip) =>
        XDocument.Parse(Text(zip, "Bearer.Auth.nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static XElement Element(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

    private static string Text(ZipArchive zip, string entry) =>
        Encoding.UTF8.GetString(Bytes(zip, entry)).TrimStart('\uFEFF').ReplaceLineEndings("\n");

    private static byte[] Bytes(ZipArchive zip, string entry)
    {
        using var stream = zip.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"The package has no {entry}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
