namespace Klaviyo.Tests;

/// <summary>A fenced code block of a Markdown file: its info string (<c>csharp no-compile</c>) and its text.</summary>
public sealed record MarkdownBlock(
    string Language,
    IReadOnlyList<string> Attributes,
    string Code,
    int Line
)
{
    /// <summary>Whether the block is C# (<c>csharp</c>, <c>cs</c> or <c>c#</c>).</summary>
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    /// <summary>Whether the block is marked <c>no-compile</c> (a fragment the docs test does not compile).</summary>
    public bool IsNoCompile => Attributes.Contains("no-compile");
}

/// <summary>Reads the fenced code blocks of a Markdown text, indented ones (in list items) included.</summary>
public static class MarkdownBlocks
{
    /// <summary>Every fenced block, in order.</summary>
    public static List<MarkdownBlock> Read(string markdown)
    {
        var blocks = new List<MarkdownBlock>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
                continue;
            var indent = lines[i].Length - trimmed.Length;
            var info = trimmed[3..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var body = new List<string>();
            var start = i + 1;
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
                body.Add(
                    lines[i].Length >= indent && lines[i][..indent].Trim().Length == 0
                        ? lines[i][indent..]
                        : lines[i]
                );
            blocks.Add(
                new MarkdownBlock(
                    info.FirstOrDefault()?.ToLowerInvariant() ?? "",
                    info.Skip(1).ToList(),
                    string.Join("\n", body) + "\n",
                    start
                )
            );
        }
        return blocks;
    }
}
