using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AtomicFiles.Tests.PublicApi;

/// <summary>
/// docs/api.md: every public type and member with its XML documentation, generated from the built assembly and its
/// documentation file, so the reference can never drift from the code.
/// </summary>
internal sealed partial class ApiReference
{
    private const BindingFlags DeclaredPublic = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly Dictionary<string, XElement> _docs;
    private readonly StringBuilder _text = new();

    private ApiReference(XDocument documentation) =>
        _docs = documentation.Descendants("member").ToDictionary(m => m.Attribute("name")!.Value, StringComparer.Ordinal);

    internal static string Generate(Assembly assembly)
    {
        var reference = new ApiReference(XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml")));
        reference._text.Append("# API reference\n\n")
            .Append("Generated from the XML documentation comments by `tests/AtomicFiles.Tests/PublicApi/ApiReferenceTests.cs`;\n")
            .Append("do not edit by hand. Namespace `AtomicFiles`.\n");
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            reference.AppendType(type);
        }

        // One blank line between blocks, however the pieces ended.
        return BlankLines().Replace(reference._text.ToString(), "\n\n");
    }

    private void AppendType(Type type)
    {
        _text.Append("\n## ").Append(type.Name).Append(" (").Append(CSharpSignature.Kind(type)).Append(")\n\n");
        AppendDocumentation(DocumentationId.Of(type));

        var inheritedOnly = new List<string>();
        foreach (var member in Members(type))
        {
            var id = DocumentationId.Of(member);
            if (IsInheritedFromBase(id))
            {
                inheritedOnly.Add(member.Name);
                continue;
            }

            _text.Append("\n### `").Append(CSharpSignature.Of(member)).Append("`\n\n");
            AppendDocumentation(id);
        }

        if (inheritedOnly.Count > 0)
        {
            _text.Append("\nAlso overrides, as documented by the base class: ")
                .AppendJoin(", ", inheritedOnly.Distinct().Order(StringComparer.Ordinal).Select(n => $"`{n}`")).Append(".\n");
        }
    }

    private static IEnumerable<MemberInfo> Members(Type type)
    {
        if (type.IsEnum)
        {
            return type.GetFields(BindingFlags.Public | BindingFlags.Static);
        }

        return type.GetMembers(DeclaredPublic)
            .Where(m => m is not MethodInfo { IsSpecialName: true })
            .OrderBy(m => m switch { ConstructorInfo => 0, PropertyInfo => 1, MethodInfo => 2, _ => 3 })
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(DocumentationId.Of, StringComparer.Ordinal);
    }

    private bool IsInheritedFromBase(string id) =>
        _docs.TryGetValue(id, out var doc) && doc.Elements().All(e => e.Name.LocalName == "inheritdoc" && e.Attribute("cref") is null);

    private void AppendDocumentation(string id)
    {
        if (!_docs.TryGetValue(id, out var doc))
        {
            return;
        }

        var elements = WithInherited(doc).ToList();
        foreach (var name in new[] { "summary", "remarks", "example" })
        {
            foreach (var element in elements.Where(e => e.Name.LocalName == name))
            {
                _text.Append(XmlDocMarkdown.Render(element)).Append("\n\n");
            }
        }

        AppendList(elements, "param", "Parameters", e => $"`{e.Attribute("name")!.Value}`");
        foreach (var returns in elements.Where(e => e.Name.LocalName == "returns"))
        {
            _text.Append("**Returns:** ").Append(XmlDocMarkdown.Render(returns)).Append("\n\n");
        }

        AppendList(elements, "exception", "Exceptions", e => $"`{XmlDocMarkdown.ShortName(e.Attribute("cref")!.Value)}`");
    }

    private void AppendList(List<XElement> elements, string tag, string heading, Func<XElement, string> label)
    {
        var items = elements.Where(e => e.Name.LocalName == tag).ToList();
        if (items.Count == 0)
        {
            return;
        }

        _text.Append("**").Append(heading).Append(":**\n\n");
        foreach (var item in items)
        {
            _text.Append("- ").Append(label(item)).Append(": ").Append(XmlDocMarkdown.Render(item)).Append('\n');
        }

        _text.Append('\n');
    }

    // <inheritdoc cref="X" path="/param"/> copies X's elements (those the path selects) that the member lacks.
    private IEnumerable<XElement> WithInherited(XElement doc)
    {
        var own = doc.Elements().Where(e => e.Name.LocalName != "inheritdoc").ToList();
        var inherited = new List<XElement>();
        foreach (var inheritdoc in doc.Elements("inheritdoc"))
        {
            if (inheritdoc.Attribute("cref")?.Value is not { } cref || !_docs.TryGetValue(cref, out var source))
            {
                continue;
            }

            var tag = inheritdoc.Attribute("path")?.Value.TrimStart('/');
            inherited.AddRange(WithInherited(source).Where(e =>
                (tag is null || e.Name.LocalName == tag) && !own.Any(o => SameSlot(o, e))));
        }

        return own.Concat(inherited);
    }

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();

    private static bool SameSlot(XElement a, XElement b) =>
        a.Name == b.Name && (string?)a.Attribute("name") == (string?)b.Attribute("name") && (string?)a.Attribute("cref") == (string?)b.Attribute("cref");
}
