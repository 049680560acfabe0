using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Every ```csharp block in README.md and docs/ compiles on its own, as pasted into <c>dotnet new console</c>,
/// with only the usings it shows (the rules are on <see cref="SampleCompiler"/>). A block fenced
/// ```csharp no-compile is skipped, and only where <see cref="NotCompiled"/> says why.
/// </summary>
public class DocSamplesTests
{
    /// <summary>
    /// The blocks that are not compiled, per file, with the reason. Keep this short: a block that can be made to
    /// compile (add its usings, or fence it <c>csharp web</c>) should be.
    /// </summary>
    private static readonly Dictionary<string, (int Count, string Why)> NotCompiled = new()
    {
        ["docs/observability.md"] = (
            1,
            "needs the OpenTelemetry packages, which the library does not bring"
        ),
        ["docs/webhooks.md"] = (
            1,
            "MapKlaviyoWebhook lives in samples/Webhooks, which compiles it; the block shows its two calls"
        ),
    };

    public static TheoryData<string, int> Samples()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in DocFiles.Markdown())
        foreach (var (block, i) in DocFiles.Blocks(file).Select((b, i) => (b, i)))
            if (block.IsCSharp && !block.IsNoCompile)
                data.Add(file, i);
        return data;
    }

    [Fact]
    public void The_docs_hold_csharp_samples_to_check()
    {
        Assert.True(
            Samples().Count() >= 20,
            "fewer than 20 ```csharp blocks found in README.md and docs/"
        );
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_csharp_sample_in_the_docs_compiles_as_pasted_into_a_new_console_app(
        string file,
        int index
    )
    {
        var block = DocFiles.Blocks(file)[index];
        var errors = SampleCompiler.Errors(
            block.Code,
            web: block.Attributes.Contains("web"),
            name: $"DocSample_{Path.GetFileNameWithoutExtension(file)}_{index}"
        );
        Assert.True(
            errors.Count == 0,
            $"{file}:{block.Line} does not compile as pasted:\n{string.Join("\n", errors)}\n---\n{block.Code}"
        );
    }

    [Fact]
    public void Only_the_listed_blocks_are_marked_no_compile()
    {
        var marked = DocFiles
            .Markdown()
            .Select(f =>
                (File: f, Count: DocFiles.Blocks(f).Count(b => b.IsCSharp && b.IsNoCompile))
            )
            .Where(x => x.Count > 0)
            .ToDictionary(x => x.File, x => x.Count);
        Assert.Equal(
            NotCompiled.ToDictionary(kv => kv.Key, kv => kv.Value.Count).OrderBy(kv => kv.Key),
            marked.OrderBy(kv => kv.Key)
        );
    }
}
