namespace Klaviyo.Tests;

/// <summary>The repository's Markdown files and their blocks.</summary>
public static class DocFiles
{
    /// <summary>The repository root (the folder holding Klaviyo.sln).</summary>
    public static readonly string Root = FindRoot();

    /// <summary>README.md and every .md under docs/, relative to the root.</summary>
    public static IEnumerable<string> Markdown()
    {
        yield return "README.md";
        foreach (
            var f in Directory
                .GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
        )
            yield return Path.GetRelativePath(Root, f).Replace('\\', '/');
    }

    /// <summary>The fenced blocks of a file relative to the root.</summary>
    public static List<MarkdownBlock> Blocks(string file) =>
        MarkdownBlocks.Read(File.ReadAllText(Path.Combine(Root, file)));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Klaviyo.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
