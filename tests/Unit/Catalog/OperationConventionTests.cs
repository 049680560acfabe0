using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>Conventions over the whole generated surface, found by reflection from the catalog.</summary>
public class OperationConventionTests
{
    private static readonly Regex PascalCase = new("^[A-Z][A-Za-z0-9]*$");
    private static readonly Regex CamelCase = new("^[a-z][A-Za-z0-9]*$");

    private static IEnumerable<(CatalogEntry Entry, MethodInfo Method)> Generated() =>
        OperationCatalog.All.Select(e =>
            (
                e,
                GeneratedMethods.Primary(
                    typeof(RequestOperation).Assembly.GetType(
                        "Klaviyo." + e.Tag,
                        throwOnError: true
                    ),
                    e.MethodName
                ) ?? throw new Xunit.Sdk.XunitException($"{e.Tag}.{e.MethodName} is missing")
            )
        );

    [Fact]
    public void The_catalog_has_all_345_operations_of_the_spec_revision()
    {
        Assert.Equal(345, OperationCatalog.All.Count);
        Assert.Equal(345, OperationCatalog.All.Select(e => e.OperationId).Distinct().Count());
        Assert.Equal("2026-07-15", OperationCatalog.Revision);
    }

    [Fact]
    public void Every_generated_method_is_a_public_static_PascalCase_method_returning_RequestOperation()
    {
        foreach (var (entry, method) in Generated())
        {
            Assert.True(
                method.DeclaringType!.IsAbstract && method.DeclaringType.IsSealed,
                $"{entry.Tag} is not static"
            );
            Assert.True(
                GeneratedMethods.ReturnsOperation(method),
                $"{method.Name} returns {method.ReturnType}"
            );
            Assert.Matches(PascalCase, entry.Tag);
            Assert.Matches(PascalCase, method.Name);
            foreach (var p in method.GetParameters())
                Assert.True(
                    CamelCase.IsMatch(p.Name!),
                    $"{entry.Tag}.{method.Name}: parameter {p.Name}"
                );
            Assert.Equal(
                method.GetParameters().Select(p => p.Name),
                method.GetParameters().Select(p => p.Name).Distinct()
            );
        }
    }

    [Fact]
    public void The_public_methods_returning_RequestOperation_are_exactly_the_catalog_operations()
    {
        var surface = typeof(RequestOperation)
            .Assembly.GetExportedTypes()
            .Where(t => t != typeof(PathTemplate) && t != typeof(OAuth2))
            .SelectMany(t =>
                t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m =>
                        GeneratedMethods.ReturnsOperation(m)
                        && !GeneratedMethods.IsTypedBodyOverload(m)
                    )
                    .Select(m => $"{t.Name}.{m.Name}")
            )
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            OperationCatalog
                .All.Select(e => $"{e.Tag}.{e.MethodName}")
                .Order(StringComparer.Ordinal),
            surface
        );
    }

    [Fact]
    public void Optional_parameters_all_come_last_and_default_to_null()
    {
        foreach (var (entry, method) in Generated())
        {
            var ps = method.GetParameters();
            var firstOptional = Array.FindIndex(ps, p => p.IsOptional);
            if (firstOptional < 0)
                continue;
            Assert.All(
                ps[firstOptional..],
                p =>
                    Assert.True(
                        p.IsOptional && p.DefaultValue is null,
                        $"{entry.OperationId}: {p.Name}"
                    )
            );
        }
    }

    [Fact]
    public void Every_path_parameter_is_used_each_distinctive_value_lands_in_its_own_segment()
    {
        foreach (var (entry, method) in Generated())
        {
            var ps = method.GetParameters();
            Assert.True(ps.Length >= entry.PathParameters.Count);
            var args = new object?[ps.Length];
            for (var i = 0; i < ps.Length; i++)
                args[i] =
                    i < entry.PathParameters.Count ? $"Path{i}Value/with slash"
                    : ps[i].IsOptional ? null
                    : Required(entry, ps[i]);
            var op = (RequestOperation)method.Invoke(null, args)!;
            for (var i = 0; i < entry.PathParameters.Count; i++)
                Assert.Contains($"/Path{i}Value%2Fwith%20slash", op.Path);
            Assert.DoesNotContain("{", op.Path);
            Assert.Equal(entry.OperationId, op.OperationId);
            Assert.Equal(entry.Method, op.Method);
            Assert.True(
                op.Problems.IsEmpty,
                $"{entry.OperationId}: {string.Join("; ", op.Problems)}"
            );
        }
    }

    [Fact]
    public void A_null_or_dot_path_parameter_is_a_recorded_problem_not_an_exception()
    {
        var nullId = Profiles.GetProfile(null!);
        var dotDot = Lists.GetList("..");

        Assert.Contains(nullId.Problems, p => p.Contains("'id' is null"));
        Assert.Contains(dotDot.Problems, p => p.Contains("'id' is '..'"));
        var built = RequestBuilder.Build(dotDot, new KlaviyoOptions { ApiKey = "pk_test" });
        Assert.True(built.IsLeft);
    }

    [Fact]
    public void Events_GetEvents_needs_no_arguments_and_sends_no_query()
    {
        var op = Events.GetEvents();

        Assert.Equal(
            new RequestOperation(HttpMethod.Get, "/api/events") { OperationId = "get_events" },
            op
        );
    }

    private static object Required(CatalogEntry entry, ParameterInfo p)
    {
        if (p.ParameterType == typeof(object))
            return new { data = new { type = "probe" } };
        if (p.ParameterType == typeof(ReadOnlyMemory<byte>))
            return new ReadOnlyMemory<byte>([1, 2, 3]);
        if (p.ParameterType == typeof(string) && p.Name == "filter")
            return SampleFilter.For(entry);
        if (p.ParameterType == typeof(string) || TypedArguments.IsStringValue(p.ParameterType))
        {
            var info = entry.QueryParameters.Find(q => SpecOperation.Camel(q.Name) == p.Name);
            return TypedArguments.Convert(
                info.Bind(q => q.AllowedValues.HeadOrNone()).IfNone("value"),
                p.ParameterType
            )!;
        }
        throw new InvalidOperationException(
            $"{entry.OperationId}: no sample for {p.ParameterType} {p.Name}"
        );
    }
}
