using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Arbitrary strings into every generated operation: building either gives a request whose path keeps the shape of
/// its template (each parameter one segment that decodes back to itself) with no CR or LF in any header, or a
/// validation error. Never an exception.
/// </summary>
public class BadInputProperties
{
    private static readonly (CatalogEntry Entry, MethodInfo Method)[] Operations = OperationCatalog
        .All.Select(e =>
            (
                e,
                typeof(Profiles)
                    .Assembly.GetType("Klaviyo." + e.Tag)!
                    .GetMethods()
                    // The primary overload (object body), not the typed-body one.
                    .Single(m =>
                        m.Name == e.MethodName
                        && !m.GetParameters()
                            .Any(p => p.ParameterType.Namespace == "Klaviyo.Models")
                    )
            )
        )
        .ToArray();

    private static readonly string[] Nasty =
    [
        "..",
        ".",
        "/",
        "%2F",
        "%2e%2e",
        "../..",
        "a/../b",
        "?",
        "#",
        "\r\n",
        "\n",
        "\r",
        "x\r\nInjected: 1",
        "%0d%0a",
        " ",
        "",
        "\u0000",
        "😀",
        "\ud800",
        "'",
        "\"",
        "\\",
        "&",
        "=",
        "+",
        "[",
        "]",
        "é",
    ];

    private static Gen<string> Text() =>
        Gen.OneOf(
            Gen.Elements(Nasty),
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Elements(Nasty).ListOf().Select(l => string.Concat(l))
        );

    private static Gen<object?> ArgumentFor(ParameterInfo p) =>
        // Typed query values take the same raw text as the strings they replace.
        TypedArguments.IsStringValue(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType)
            ? Gen.OneOf(Text().Select(s => (object?)s), Gen.Constant<object?>(null))
                .Select(v => TypedArguments.Convert(v, p.ParameterType))
        : p.ParameterType.IsGenericType
        && p.ParameterType.GetGenericTypeDefinition() == typeof(QueryValues<>)
            ? Gen.OneOf(Text().ArrayOf().Select(a => (object?)a), Gen.Constant<object?>(null))
                .Select(v => TypedArguments.Convert(v, p.ParameterType))
        : p.ParameterType == typeof(string)
            ? Gen.OneOf(Text().Select(s => (object?)s), Gen.Constant<object?>(null))
        : p.ParameterType == typeof(IEnumerable<string>)
            ? Gen.OneOf(Text().ArrayOf().Select(a => (object?)a), Gen.Constant<object?>(null))
        : p.ParameterType == typeof(int?)
            ? ArbMap.Default.GeneratorFor<int>().Select(i => (object?)i)
        : p.ParameterType == typeof(bool?) ? Gen.Elements<object?>(true, false, null)
        : p.ParameterType == typeof(ReadOnlyMemory<byte>)
            ? Gen.Constant<object?>(new ReadOnlyMemory<byte>([1, 2, 3]))
        : Gen.Constant<object?>(new { data = new { type = "probe" } });

    private static Gen<(CatalogEntry Entry, MethodInfo Method, object?[] Args)> Calls() =>
        Gen.Elements(Operations)
            .SelectMany(pick =>
                pick.Method.GetParameters()
                    .Aggregate(
                        Gen.Constant(System.Collections.Immutable.ImmutableList<object?>.Empty),
                        (acc, p) => acc.Zip(ArgumentFor(p), (list, arg) => list.Add(arg))
                    )
                    .Select(args => (pick.Entry, pick.Method, args.ToArray()))
            );

    [Property(MaxTest = 500)]
    public Property Every_operation_builds_inside_its_template_or_is_a_validation_error() =>
        Prop.ForAll(
            Calls().ToArbitrary(),
            call =>
            {
                var (entry, method, args) = call;
                var op = (RequestOperation)method.Invoke(null, args)!;
                var built = RequestBuilder.Build(
                    op,
                    new KlaviyoOptions { ApiKey = "pk_bad_input" }
                );
                return built.Match(
                    request => InsideTemplate(entry, args, method, request),
                    error =>
                        (error is KlaviyoError.Validation).Label($"{entry.OperationId}: {error}")
                );
            }
        );

    private static Property InsideTemplate(
        CatalogEntry entry,
        object?[] args,
        MethodInfo method,
        KlaviyoRequest request
    )
    {
        var uri = new Uri(request.Url);
        var segments = uri.GetComponents(UriComponents.Path, UriFormat.UriEscaped).Split('/');
        var template = entry.PathTemplate.TrimStart('/').Split('/');
        var parameters = method.GetParameters();
        var sameShape = segments.Length == template.Length;
        for (var i = 0; sameShape && i < template.Length; i++)
        {
            if (template[i].StartsWith('{'))
            {
                var name = template[i].Trim('{', '}');
                var index = Array.FindIndex(parameters, p => p.Name == SnakeToCamel(name));
                sameShape =
                    index >= 0
                    && segments[i] is not ("." or "..")
                    && Uri.UnescapeDataString(segments[i]) == (string?)args[index];
            }
            else
                sameShape = segments[i] == template[i];
        }
        var cleanHeaders = request.Headers.ForAll(h =>
            h.Name.IndexOfAny(['\r', '\n']) < 0 && h.Value.IndexOfAny(['\r', '\n']) < 0
        );
        return (sameShape && cleanHeaders).Label(
            $"{entry.OperationId}: {request.Url} shape={sameShape} headers={cleanHeaders}"
        );
    }

    private static string SnakeToCamel(string name)
    {
        var parts = name.Split('_');
        return parts[0]
            + string.Concat(
                parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])
            );
    }
}
