using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>The packages keep their plumbing to themselves: no friend assemblies but the tests, no public plumbing.</summary>
public class SurfaceTests
{
    private static readonly Assembly Operations = typeof(RequestOperation).Assembly;
    private static readonly Assembly Interpreters = typeof(Interpreter).Assembly;

    [Fact]
    public void Operations_opens_its_internals_to_no_package_only_to_tests()
    {
        var friends = Operations
            .GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToArray();

        Assert.DoesNotContain(
            friends,
            f => f.StartsWith("Klaviyo.Interpreters", StringComparison.Ordinal)
        );
        Assert.All(friends, f => Assert.StartsWith("Klaviyo.Tests.", f));
    }

    [Fact]
    public void Interpreters_opens_its_internals_only_to_tests()
    {
        Assert.All(
            Interpreters.GetCustomAttributes<InternalsVisibleToAttribute>(),
            a => Assert.StartsWith("Klaviyo.Tests.", a.AssemblyName)
        );
    }

    [Theory]
    [InlineData("Klaviyo.RequestBuilder")]
    [InlineData("Klaviyo.PercentEncoding")]
    [InlineData("Klaviyo.Redaction")]
    [InlineData("Klaviyo.ResponseClassifier")]
    [InlineData("Klaviyo.Exchange")]
    [InlineData("Klaviyo.PageStream")]
    [InlineData("Klaviyo.JsonRedaction")]
    [InlineData("Klaviyo.RequestRedaction")]
    [InlineData("Klaviyo.FixtureStorage")]
    public void Plumbing_named_in_the_restructuring_is_not_public(string name)
    {
        var type = Operations.GetType(name) ?? Interpreters.GetType(name);

        // Absent is fine too: then it cannot be public.
        Assert.False(type?.IsPublic ?? false, $"{name} is public");
    }

    [Fact]
    public void No_public_method_appends_to_a_StringBuilder()
    {
        var leaking = Operations
            .GetExportedTypes()
            .Concat(Interpreters.GetExportedTypes())
            .SelectMany(t =>
                t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
            )
            .Where(m =>
                m.GetParameters().Any(p => p.ParameterType == typeof(System.Text.StringBuilder))
            )
            .Select(m => $"{m.DeclaringType}.{m.Name}")
            .ToArray();

        Assert.Empty(leaking);
    }
}
