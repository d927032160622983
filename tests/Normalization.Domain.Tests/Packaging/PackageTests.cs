using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Normalization.Domain.Tests.Packaging;

/// <summary>
/// Normalization.Domain as a NuGet package (issue 17, part 4): what the .nupkg carries, and the example test project
/// (tests/Normalization.WhatIf.Example) restored from the packed package in a local folder feed, not from our source.
/// </summary>
public sealed class PackageTests(PackedDomain packed) : IClassFixture<PackedDomain>
{
    static readonly string[] ServerSide = ["Marten", "Wolverine", "Npgsql", "Microsoft.AspNetCore", "JasperFx", "Weasel"];

    [Fact]
    public void Given_dotnet_pack_When_the_package_is_opened_Then_it_carries_the_assembly_its_XML_docs_and_the_README()
    {
        packed.Pack.ExitCode.ShouldBe(0, packed.Pack.Tail);

        var (entries, _, zip) = packed.Open();
        using var _ = zip;

        entries.ShouldContain("lib/net10.0/Normalization.Domain.dll");
        entries.ShouldContain("lib/net10.0/Normalization.Domain.xml");
        entries.ShouldContain("README.md");
        using (var readme = new StreamReader(zip.GetEntry("README.md")!.Open()))
        {
            var text = readme.ReadToEnd();
            text.ShouldBe(File.ReadAllText(Path.Combine(packed.Root, "src", "Normalization.Domain", "README.md")));
            text.ShouldContain($"--version {packed.VersionPrefix()}", customMessage: "the README's install line names the version the csproj packs");
        }
        using var docs = zip.GetEntry("lib/net10.0/Normalization.Domain.xml")!.Open();
        var members = XDocument.Load(docs).Descendants("member").Select(m => m.Attribute("name")!.Value).ToList();
        members.ShouldContain("T:Normalization.Domain.WhatIf.Branch");
        members.ShouldContain(m => m.StartsWith("M:Normalization.Domain.WhatIf.WhatIf.FromServerAsync(System.Net.Http.HttpClient,", StringComparison.Ordinal));
        members.ShouldContain(m => m.StartsWith("M:Normalization.Domain.Folding.NegotiationFold.StateAsOf(", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_the_packed_nuspec_When_read_Then_id_version_license_readme_repository_description_and_tags_are_set_and_nothing_server_side_is_a_dependency()
    {
        var (_, metadata, zip) = packed.Open();
        using var _ = zip;
        string Get(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Get("id").ShouldBe("Normalization.Domain");
        Get("version").ShouldBe(packed.Version);
        Element("license").Attribute("type")!.Value.ShouldBe("expression");
        Get("license").ShouldBe("MIT");
        Get("readme").ShouldBe("README.md");
        Get("description").ShouldContain("what-if");
        Get("tags").Split(' ').ShouldContain("what-if");
        Element("repository").Attribute("type")!.Value.ShouldBe("git");
        Element("repository").Attribute("commit")!.Value.ShouldMatch("^[0-9a-f]{40}$");
        Element("dependencies").Descendants().Where(e => e.Name.LocalName == "dependency").ShouldBeEmpty();

        // The assembly itself references the base class library only: the fold stays free of the Critter Stack and ASP.NET.
        using var dll = new MemoryStream();
        using (var entry = zip.GetEntry("lib/net10.0/Normalization.Domain.dll")!.Open()) entry.CopyTo(dll);
        dll.Position = 0;
        using var pe = new PEReader(dll);
        var reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        references.ShouldNotBeEmpty();
        references.ShouldAllBe(r => !ServerSide.Any(s => r.StartsWith(s, StringComparison.Ordinal)));
    }

    [Fact]
    public void Given_the_package_in_a_local_feed_When_the_example_project_runs_dotnet_test_Then_every_documented_story_passes_against_the_package()
    {
        packed.Pack.ExitCode.ShouldBe(0, packed.Pack.Tail);
        packed.Example.ExitCode.ShouldBe(0, packed.Example.Tail);

        // Every [Fact] of the example ran and passed (TRX counters).
        var exampleDir = Path.Combine(packed.Root, "tests", "Normalization.WhatIf.Example");
        var facts = Directory.EnumerateFiles(exampleDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Sum(f => Regex.Matches(File.ReadAllText(f), @"^\s*\[Fact\]", RegexOptions.Multiline).Count);
        facts.ShouldBeGreaterThanOrEqualTo(5);
        var counters = XDocument.Load(packed.ExampleTrx).Descendants().Single(e => e.Name.LocalName == "Counters");
        counters.Attribute("total")!.Value.ShouldBe(facts.ToString());
        counters.Attribute("passed")!.Value.ShouldBe(facts.ToString());

        // It was the package from the feed, at this run's version, not a project reference.
        using var assets = JsonDocument.Parse(File.ReadAllText(packed.ExampleAssets));
        var libraries = assets.RootElement.GetProperty("libraries");
        var library = libraries.GetProperty($"Normalization.Domain/{packed.Version}");
        library.GetProperty("type").GetString().ShouldBe("package");
        libraries.EnumerateObject().ShouldAllBe(l => l.Value.GetProperty("type").GetString() == "package");
        File.ReadAllText(Path.Combine(exampleDir, "Normalization.WhatIf.Example.csproj")).ShouldNotContain("ProjectReference");
    }

    [Fact]
    public void Given_the_example_pins_its_own_versions_When_compared_with_the_repository_Then_they_are_the_ones_the_solution_uses()
    {
        var central = XDocument.Load(Path.Combine(packed.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var example = XDocument.Load(Path.Combine(packed.Root, PackedDomain.ExampleProject)).Descendants("PackageReference")
            .Where(p => p.Attribute("Include")!.Value != "Normalization.Domain").ToList();

        example.Count.ShouldBe(4);
        foreach (var p in example) p.Attribute("Version")!.Value.ShouldBe(central[p.Attribute("Include")!.Value], p.Attribute("Include")!.Value);
        XDocument.Load(Path.Combine(packed.Root, PackedDomain.ExampleProject)).Descendants("NormalizationDomainVersion").Single().Value
            .ShouldBe(packed.VersionPrefix(), "the example's default version is the one the csproj packs");
    }

    [Fact]
    public void Given_the_test_project_docs_what_if_md_shows_When_compared_with_the_example_Then_it_references_the_same_packages_and_versions()
    {
        var doc = File.ReadAllText(Path.Combine(packed.Root, "docs", "what-if.md")).ReplaceLineEndings("\n");
        var block = Regex.Match(doc, "```xml\n(<Project Sdk=.*?</Project>)\n```", RegexOptions.Singleline);
        block.Success.ShouldBeTrue("docs/what-if.md shows the test project's csproj");
        static Dictionary<string, string> References(XDocument project, string domainVersion) => project.Descendants("PackageReference")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value.Replace("$(NormalizationDomainVersion)", domainVersion));

        var shown = References(XDocument.Parse(block.Groups[1].Value), packed.VersionPrefix());
        var example = References(XDocument.Load(Path.Combine(packed.Root, PackedDomain.ExampleProject)), packed.VersionPrefix());

        shown.ShouldBe(example);
        shown["Normalization.Domain"].ShouldBe(packed.VersionPrefix());
    }
}
