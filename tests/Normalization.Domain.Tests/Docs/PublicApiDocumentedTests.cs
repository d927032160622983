using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.Docs;

/// <summary>
/// The package's README promises that every public type and member carries XML documentation: it is what an analyst
/// reads in the editor. A trial found about 500 without (every event type, the ledger entries, the stages, the what-if
/// result's own properties) while the build suppressed CS1591. The Domain project now reports CS1591 as an error; this
/// test reads the XML file shipped beside the assembly, so the promise holds even if the warning is silenced again.
/// </summary>
public sealed class PublicApiDocumentedTests
{
    static readonly Assembly Domain = typeof(Branch).Assembly;

    static Dictionary<string, XElement> DocMembers()
    {
        var xml = Path.ChangeExtension(Domain.Location, ".xml");
        File.Exists(xml).ShouldBeTrue($"{xml}: the Domain project generates its XML docs (GenerateDocumentationFile)");
        return XDocument.Load(xml).Descendants("member").ToDictionary(m => m.Attribute("name")!.Value);
    }

    static string Name(Type t) => (t.FullName ?? t.Name).Replace('+', '.').Split('`')[0];

    // A summary, or (as the compiler accepts) remarks or inheritdoc: a [GeneratedRegex] method's doc is the generator's remarks.
    static bool Documented(XElement? member) =>
        member is not null && (member.Elements().Any(e => e.Name.LocalName is "summary" or "remarks" && e.Value.Trim().Length > 0) || member.Element("inheritdoc") is not null);

    [Fact]
    public void Given_the_Domain_package_When_its_public_surface_is_read_Then_every_type_and_member_has_a_summary()
    {
        var docs = DocMembers();
        var missing = new List<string>();
        foreach (var type in Domain.GetExportedTypes())
        {
            if (!Documented(docs.GetValueOrDefault("T:" + Name(type)))) missing.Add("T:" + Name(type));
            const BindingFlags declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(declared))
            {
                if (member.IsDefined(typeof(CompilerGeneratedAttribute)) || member is MethodBase { IsSpecialName: true } || member is Type
                    || member is ConstructorInfo || type.IsEnum && member.Name == "value__") continue;
                // A positional record's properties are documented by the type's <param> tags.
                var prefix = member switch
                {
                    PropertyInfo => "P:", FieldInfo => "F:", MethodInfo => "M:", EventInfo => "E:", _ => null,
                };
                if (prefix is null) continue;
                var id = prefix + Name(type) + "." + member.Name;
                var entries = docs.Where(d => d.Key == id || d.Key.StartsWith(id + "(", StringComparison.Ordinal) || d.Key.StartsWith(id + "``", StringComparison.Ordinal)).Select(d => d.Value).ToList();
                var documented = entries.Any(Documented)
                    || member is PropertyInfo && docs.GetValueOrDefault("T:" + Name(type))?.Elements("param").Any(p => string.Equals((string?)p.Attribute("name"), member.Name, StringComparison.OrdinalIgnoreCase) && p.Value.Trim().Length > 0) == true;
                if (!documented) missing.Add(id);
            }
        }
        missing.ShouldBeEmpty($"{missing.Count} public types or members of Normalization.Domain without a /// summary");
    }
}
