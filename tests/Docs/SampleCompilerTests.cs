using Xunit;

namespace Klaviyo.Tests;

/// <summary>The docs checker itself: it fails a block that would not compile as pasted.</summary>
public class SampleCompilerTests
{
    private const string WithoutUsing = """
        var options = new KlaviyoOptions { ApiKey = "pk_test" };
        Console.WriteLine(options.Host);
        """;

    [Fact]
    public void A_block_missing_using_Klaviyo_fails()
    {
        var errors = SampleCompiler.Errors(WithoutUsing);
        Assert.Contains(errors, e => e.Contains("CS0246") && e.Contains("KlaviyoOptions"));
    }

    [Fact]
    public void The_same_block_with_using_Klaviyo_compiles()
    {
        Assert.Empty(SampleCompiler.Errors("using Klaviyo;\n" + WithoutUsing));
    }

    [Fact]
    public void A_block_calling_a_Prelude_function_without_using_static_Prelude_fails()
    {
        const string code = """
            using Klaviyo;
            using LanguageExt;

            var ids = Seq1("01HXYZ");
            Console.WriteLine(ids.Count);
            """;
        Assert.Contains(
            SampleCompiler.Errors(code),
            e => e.Contains("CS0103") && e.Contains("Seq1")
        );
        Assert.Empty(
            SampleCompiler.Errors(
                code.Replace("using LanguageExt;", "using static LanguageExt.Prelude;")
            )
        );
    }

    [Fact]
    public void Only_the_console_templates_implicit_usings_are_given()
    {
        // System.Text.Json is not among dotnet new console's implicit usings.
        Assert.Contains(
            SampleCompiler.Errors("var doc = JsonDocument.Parse(\"{}\");"),
            e => e.Contains("JsonDocument")
        );
        Assert.Empty(SampleCompiler.Errors("var lines = File.ReadLines(\"x\").ToList();"));
    }

    [Fact]
    public void A_declarations_only_block_compiles_as_a_file_of_the_app_and_still_needs_its_usings()
    {
        const string code = """
            public sealed class Campaigns(KlaviyoOptions options)
            {
                public KlaviyoOptions Options { get; } = options;
            }
            """;
        Assert.Contains(SampleCompiler.Errors(code), e => e.Contains("KlaviyoOptions"));
        Assert.Empty(SampleCompiler.Errors("using Klaviyo;\n\n" + code));
    }

    [Fact]
    public void Packages_the_library_does_not_bring_are_not_referenced()
    {
        Assert.NotEmpty(SampleCompiler.Errors("using Xunit;\n\nAssert.True(true);"));
    }

    [Fact]
    public void A_web_block_gets_ASP_NET_Core_and_the_web_templates_usings()
    {
        const string code = """
            using Klaviyo;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddKlaviyo(builder.Configuration.GetSection("Klaviyo"));
            var app = builder.Build();
            app.MapGet("/", () => "ok");
            app.Run();
            """;
        Assert.Empty(SampleCompiler.Errors(code, web: true));
        Assert.NotEmpty(SampleCompiler.Errors(code));
    }

    [Fact]
    public void Fenced_blocks_are_read_with_their_info_string_and_indentation_removed()
    {
        var blocks = MarkdownBlocks.Read(
            "text\n\n```csharp no-compile\nvar a = 1;\n```\n\n- item\n\n  ```cs\n  var b = 2;\n  ```\n"
        );
        Assert.Equal(2, blocks.Count);
        Assert.True(blocks[0].IsCSharp && blocks[0].IsNoCompile);
        Assert.Equal("var b = 2;\n", blocks[1].Code);
        Assert.False(blocks[1].IsNoCompile);
    }
}
