using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AtomicFiles.Tests.PublicApi;

/// <summary>Renders the content of an XML documentation element (summary, param, remarks…) as Markdown.</summary>
internal static partial class XmlDocMarkdown
{
    internal static string Render(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            Append(text, node);
        }

        // Paragraph breaks survive; every other run of white space (the XML's indentation) becomes one space.
        var paragraphs = text.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n\n", paragraphs.Select(p => p.StartsWith("```", StringComparison.Ordinal) ? p : Spaces().Replace(p, " ")));
    }

    /// <summary>A cref as a reader knows it: <c>M:AtomicFiles.AtomicFileWriter.Commit</c> → <c>AtomicFileWriter.Commit</c>.</summary>
    internal static string ShortName(string cref)
    {
        var name = cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var parenthesis = name.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            name = name[..parenthesis];
        }

        foreach (var ns in new[] { "AtomicFiles.", "System.IO.", "System.Threading.", "System." })
        {
            if (name.StartsWith(ns, StringComparison.Ordinal))
            {
                return name[ns.Length..].Replace("#ctor", "ctor", StringComparison.Ordinal);
            }
        }

        return name;
    }

    private static void Append(StringBuilder text, XNode node)
    {
        switch (node)
        {
            case XText t:
                text.Append(t.Value);
                break;
            case XElement { Name.LocalName: "see" or "seealso" } see:
                text.Append('`').Append(see.Attribute("cref") is { } cref ? ShortName(cref.Value) : see.Attribute("langword")?.Value ?? see.Value).Append('`');
                break;
            case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                text.Append('`').Append(reference.Attribute("name")?.Value).Append('`');
                break;
            case XElement { Name.LocalName: "c" } code:
                text.Append('`').Append(code.Value).Append('`');
                break;
            case XElement { Name.LocalName: "code" } block:
                text.Append("\n\n```csharp\n").Append(Dedent(block.Value)).Append("\n```\n\n");
                break;
            case XElement { Name.LocalName: "para" } paragraph:
                text.Append("\n\n").Append(Render(paragraph)).Append("\n\n");
                break;
            case XElement other:
                foreach (var child in other.Nodes())
                {
                    Append(text, child);
                }

                break;
        }
    }

    private static string Dedent(string code)
    {
        var lines = code.Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).Reverse().SkipWhile(l => l.Length == 0).Reverse().ToArray();
        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
