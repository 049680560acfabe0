using System.Reflection;
using System.Text.Json;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Holds the generated operations and the catalog to the spec itself (read here, independently of the generator):
/// every operation exists once, with the spec's method, path template, path/query/header parameters and body, and
/// nothing else exists. Skipped, with the reason shown, when the spec file is absent.
/// </summary>
public class SpecConformanceTests
{
    internal sealed record ExpectedArg(
        string Name,
        System.Type Type,
        bool Optional,
        string Kind,
        string Wire,
        JsonElement? Parameter
    );

    private static readonly Assembly Operations = typeof(RequestOperation).Assembly;

    internal static IReadOnlyList<ExpectedArg> ExpectedArgs(SpecOperation op)
    {
        var args = new List<ExpectedArg>();
        foreach (var p in op.PathParameters)
            args.Add(
                new(
                    SpecOperation.Camel(SpecOperation.Name(p)),
                    typeof(string),
                    false,
                    "path",
                    SpecOperation.Name(p),
                    p
                )
            );
        foreach (var p in op.QueryParameters.Where(SpecOperation.Required))
            args.Add(
                new(
                    SpecOperation.Camel(SpecOperation.Name(p)),
                    ClrType(p, false),
                    false,
                    "query",
                    SpecOperation.Name(p),
                    p
                )
            );
        if (op.ContentType == "multipart/form-data")
        {
            var schema = op.MultipartSchema!.Value;
            var required = SpecOperation.Strings(schema, "required");
            var optional = new List<ExpectedArg>();
            foreach (var f in schema.GetProperty("properties").EnumerateObject())
            {
                var type = f.Value.GetProperty("type").GetString();
                var isFile =
                    type == "string"
                    && f.Value.TryGetProperty("format", out var fmt)
                    && fmt.GetString() == "binary";
                Assert.True(
                    required.Contains(f.Name) || !isFile,
                    "an optional file field is not expected in this spec"
                );
                if (isFile)
                {
                    args.Add(
                        new(f.Name, typeof(ReadOnlyMemory<byte>), false, "file", f.Name, null)
                    );
                    args.Add(new("fileName", typeof(string), false, "fileName", f.Name, null));
                    optional.Insert(
                        0,
                        new("contentType", typeof(string), true, "contentType", f.Name, null)
                    );
                }
                else
                {
                    var clr = type == "boolean" ? typeof(bool) : typeof(string);
                    var isRequired = required.Contains(f.Name);
                    var e = new ExpectedArg(
                        SpecOperation.Camel(f.Name),
                        isRequired || clr == typeof(string)
                            ? clr
                            : typeof(Nullable<>).MakeGenericType(clr),
                        !isRequired,
                        "form",
                        f.Name,
                        null
                    );
                    (isRequired ? args : optional).Add(e);
                }
            }
            args.AddRange(optional);
        }
        else if (op.ContentType is not null)
            args.Add(new("body", typeof(object), false, "json", "body", null));
        foreach (
            var p in op
                .QueryParameters.Where(p => !SpecOperation.Required(p))
                .OrderBy(p => SpecOperation.QueryRank(SpecOperation.Name(p)))
        )
            args.Add(
                new(
                    SpecOperation.Camel(SpecOperation.Name(p)),
                    ClrType(p, true),
                    true,
                    "query",
                    SpecOperation.Name(p),
                    p
                )
            );
        foreach (var p in op.HeaderParameters)
        {
            var name = SpecOperation.Name(p);
            var stem = name.StartsWith("X-Klaviyo-", StringComparison.OrdinalIgnoreCase)
                ? name[10..]
                : name;
            args.Add(new(SpecOperation.Camel(stem), typeof(string), true, "header", name, p));
        }
        return args;
    }

    /// <summary>
    /// The expected type. An enum-valued query parameter is typed: <c>QueryValues&lt;T&gt;</c> for a list,
    /// <c>T</c> (nullable when optional) for one value, where <c>T</c> lists every value the spec allows; the open
    /// types stand for "some such <c>T</c>" (see <see cref="Fits"/>).
    /// </summary>
    private static System.Type ClrType(JsonElement p, bool optional) =>
        (SpecOperation.Type(p), SpecOperation.Enum(p).Count > 0) switch
        {
            ("array", true) => typeof(QueryValues<>),
            (_, true) => typeof(IStringValue<>),
            _ => ClrTypeUntyped(p, optional),
        };

    private static System.Type ClrTypeUntyped(JsonElement p, bool optional) =>
        SpecOperation.Type(p) switch
        {
            "array" => typeof(IEnumerable<string>),
            "integer" => optional ? typeof(int?) : typeof(int),
            "boolean" => optional ? typeof(bool?) : typeof(bool),
            _ => typeof(string),
        };

    /// <summary>A value for the argument that the built operation must show, and what it must show.</summary>
    internal static object? Sample(ExpectedArg a, int index, out string? wireValue)
    {
        wireValue = null;
        switch (a.Kind)
        {
            case "path":
                wireValue = $"P{index}{a.Name}Z";
                return wireValue;
            case "query":
            {
                var p = a.Parameter!.Value;
                var allowed = SpecOperation.Enum(p);
                switch (SpecOperation.Type(p))
                {
                    case "array":
                        var values = allowed.Count > 0 ? allowed.Take(2).ToArray() : ["a1", "b2"];
                        wireValue = string.Join(",", values);
                        return values;
                    case "integer":
                        var n = SpecOperation.Int(SpecOperation.Schema(p), "maximum") ?? 7;
                        wireValue = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        return n;
                    case "boolean":
                        wireValue = "true";
                        return true;
                    default:
                        wireValue = allowed.Count > 0 ? allowed[0] : $"v{index}_{a.Name}";
                        return wireValue;
                }
            }
            case "header":
                wireValue = $"h{index}_{a.Name}";
                return wireValue;
            case "json":
                return new JsonProbe(index);
            case "file":
                return new ReadOnlyMemory<byte>([1, 2, 3, (byte)index]);
            case "fileName":
                return "picture.png";
            case "contentType":
                return "image/gif";
            case "form":
                return a.Type == typeof(bool?) || a.Type == typeof(bool)
                    ? true
                    : $"f{index}_{a.Name}";
            default:
                throw new InvalidOperationException(a.Kind);
        }
    }

    internal sealed record JsonProbe(int Index);

    internal static MethodInfo? Method(SpecOperation op) =>
        GeneratedMethods.Primary(Operations.GetType("Klaviyo." + op.ClassName), op.MethodName);

    [SpecFact]
    public void Every_spec_operation_is_generated_with_its_method_path_parameters_and_body()
    {
        var ops = SpecOperation.All();
        Assert.Equal(345, ops.Count);
        var failures = new List<string>();
        foreach (var op in ops)
        {
            try
            {
                CheckOperation(op, failures);
            }
            catch (Exception e)
            {
                failures.Add($"{op.Id}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} problem(s):\n" + string.Join("\n", failures.Take(50))
        );
    }

    private static void CheckOperation(SpecOperation op, List<string> failures)
    {
        void Fail(string what) => failures.Add($"{op.Id} ({op.ClassName}.{op.MethodName}): {what}");

        var method = Method(op);
        if (method is null)
        {
            Fail("no such method");
            return;
        }
        if (!GeneratedMethods.ReturnsOperation(method))
            Fail($"returns {method.ReturnType}");

        var expected = ExpectedArgs(op);
        var actual = method.GetParameters();
        var nullability = new NullabilityInfoContext();
        var shown = string.Join(", ", actual.Select(p => $"{p.ParameterType.Name} {p.Name}"));
        if (actual.Length != expected.Count)
        {
            Fail(
                $"expected parameters ({string.Join(", ", expected.Select(e => e.Name))}) but found ({shown})"
            );
            return;
        }
        for (var i = 0; i < actual.Length; i++)
        {
            var (e, p) = (expected[i], actual[i]);
            if (p.Name != e.Name || !Fits(e, p) || p.IsOptional != e.Optional)
                Fail(
                    $"parameter {i}: expected {e.Type.Name} {e.Name}{(e.Optional ? " = null" : "")}, found {p.ParameterType.Name} {p.Name}{(p.IsOptional ? " = null" : "")}"
                );
            else if (p.IsOptional && p.DefaultValue is not null)
                Fail($"parameter {p.Name} defaults to {p.DefaultValue}, not null");
            else if (!p.ParameterType.IsValueType)
            {
                var state = nullability.Create(p).WriteState;
                var want = e.Optional ? NullabilityState.Nullable : NullabilityState.NotNull;
                if (state != want)
                    Fail($"parameter {p.Name} is {state}, expected {want}");
            }
        }

        // Every argument given: each must show up in the operation.
        var values = new object?[expected.Count];
        var wire = new string?[expected.Count];
        for (var i = 0; i < expected.Count; i++)
            values[i] = TypedArguments.Convert(
                Sample(expected[i], i, out wire[i]),
                actual[i].ParameterType
            );
        var full = (RequestOperation)method.Invoke(null, values)!;
        CheckBuilt(op, expected, values, wire, full, allGiven: true, Fail);

        // Only the required ones: optional query parameters and headers must be absent.
        var required = values.Select((v, i) => expected[i].Optional ? null : v).ToArray();
        var minimal = (RequestOperation)method.Invoke(null, required)!;
        CheckBuilt(op, expected, required, wire, minimal, allGiven: false, Fail);
    }

    /// <summary>Whether parameter <paramref name="p"/> has the expected type; a typed query value must list every
    /// value the spec allows for the parameter (it may list more: values other operations allow).</summary>
    private static bool Fits(ExpectedArg e, ParameterInfo p)
    {
        var type = p.ParameterType;
        if (e.Type == typeof(QueryValues<>))
            return type.IsGenericType
                && type.GetGenericTypeDefinition() == typeof(QueryValues<>)
                && ListsAll(type.GetGenericArguments()[0], e.Parameter!.Value);
        if (e.Type == typeof(IStringValue<>))
        {
            var value = Nullable.GetUnderlyingType(type);
            return (value is not null) == e.Optional
                && TypedArguments.IsStringValue(value ?? type)
                && ListsAll(value ?? type, e.Parameter!.Value);
        }
        return type == e.Type;
    }

    private static bool ListsAll(System.Type valueType, JsonElement parameter) =>
        SpecOperation.Enum(parameter).All(TypedArguments.Known(valueType).Contains);

    private static void CheckBuilt(
        SpecOperation op,
        IReadOnlyList<ExpectedArg> expected,
        object?[] values,
        string?[] wire,
        RequestOperation built,
        bool allGiven,
        Action<string> fail
    )
    {
        var label = allGiven ? "with every argument" : "with required arguments only";
        if (built.Method.Method != op.Method)
            fail($"{label}: method {built.Method} instead of {op.Method}");
        var path = op.Path;
        for (var i = 0; i < expected.Count; i++)
            if (expected[i].Kind == "path")
                path = path.Replace("{" + expected[i].Wire + "}", wire[i]);
        if (built.Path != path)
            fail($"{label}: path {built.Path} instead of {path}");
        if (built.OperationId != op.Id)
            fail($"{label}: OperationId {built.OperationId}");
        if (built.SendCredentials == op.Path.StartsWith("/client/"))
            fail($"{label}: SendCredentials {built.SendCredentials} for {op.Path}");
        if (!built.Problems.IsEmpty)
            fail($"{label}: problems {string.Join("; ", built.Problems)}");

        var wantQuery = expected
            .Select((e, i) => (e, i))
            .Where(x => x.e.Kind == "query" && (allGiven || !x.e.Optional))
            .Select(x => (x.e.Wire, wire[x.i]!))
            .OrderBy(x => x.Wire, StringComparer.Ordinal)
            .ToList();
        var gotQuery = built.Query.OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
        if (!wantQuery.SequenceEqual(gotQuery))
            fail(
                $"{label}: query [{string.Join("&", gotQuery)}] instead of [{string.Join("&", wantQuery)}]"
            );

        var wantHeaders = expected
            .Select((e, i) => (e, i))
            .Where(x => x.e.Kind == "header" && allGiven)
            .Select(x => (x.e.Wire, wire[x.i]!))
            .ToList();
        if (!wantHeaders.SequenceEqual(built.Headers))
            fail(
                $"{label}: headers [{string.Join(", ", built.Headers)}] instead of [{string.Join(", ", wantHeaders)}]"
            );

        switch (op.ContentType)
        {
            case null:
                if (built.Body != RequestBody.None)
                    fail($"{label}: has a body but the spec declares none");
                break;
            case "multipart/form-data":
                if (built.Body is not RequestBody.MultipartParts mp)
                {
                    fail($"{label}: body is {built.Body.GetType().Name}, not multipart");
                    break;
                }
                var file = mp.Parts.Find(p => p.FileName is not null);
                if (file.IsNone)
                    fail($"{label}: no file part");
                file.IfSome(f =>
                {
                    var bytes =
                        (ReadOnlyMemory<byte>)
                            values[expected.ToList().FindIndex(e => e.Kind == "file")]!;
                    if (!f.Content.Span.SequenceEqual(bytes.Span) || f.FileName != "picture.png")
                        fail($"{label}: file part does not carry the file and its name");
                    if (f.ContentType != (allGiven ? "image/gif" : "image/png"))
                        fail($"{label}: file content type {f.ContentType}");
                });
                var textParts = mp.Parts.Filter(p => p.FileName is null).Map(p => p.Name).ToList();
                var wantText = expected
                    .Where(e => e.Kind == "form" && (allGiven || !e.Optional))
                    .Select(e => e.Wire)
                    .ToList();
                if (!textParts.SequenceEqual(wantText))
                    fail(
                        $"{label}: text parts [{string.Join(", ", textParts)}] instead of [{string.Join(", ", wantText)}]"
                    );
                break;
            default:
                var probe = values[expected.ToList().FindIndex(e => e.Kind == "json")];
                if (
                    built.Body is not RequestBody.JsonValue json
                    || !ReferenceEquals(json.Value, probe)
                )
                    fail($"{label}: body is not the JSON value passed in");
                break;
        }
    }

    [SpecFact]
    public void Nothing_is_generated_that_the_spec_does_not_have()
    {
        var ops = SpecOperation.All();
        var expected = ops.Select(o => $"{o.ClassName}.{o.MethodName}").ToHashSet();
        var generated = Operations
            .GetExportedTypes()
            .Where(t => t != typeof(PathTemplate) && t != typeof(OAuth2))
            .SelectMany(t =>
                t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m =>
                        GeneratedMethods.ReturnsOperation(m)
                        && !GeneratedMethods.IsTypedBodyOverload(m)
                    )
                    .Select(m => $"{t.Name}.{m.Name}")
            )
            .ToList();
        Assert.Empty(generated.Except(expected));
        Assert.Empty(expected.Except(generated));
        Assert.Equal(generated.Count, generated.Distinct().Count()); // no overloads
        Assert.Equal(
            ops.Select(o => o.Id).Order(StringComparer.Ordinal),
            OperationCatalog.All.Select(e => e.OperationId).Order(StringComparer.Ordinal)
        );
    }

    [SpecFact]
    public void Catalog_entries_match_the_spec()
    {
        var failures = new List<string>();
        var ops = SpecOperation.All();
        Assert.Equal(ops.Select(o => o.Id), OperationCatalog.All.Select(e => e.OperationId)); // spec order
        foreach (var op in ops)
        {
            var entry = OperationCatalog
                .Find(op.Id)
                .IfNone(() => throw new Xunit.Sdk.XunitException($"{op.Id} not in catalog"));
            void Check(string what, object? want, object? got)
            {
                if (!Equals(want, got))
                    failures.Add($"{op.Id}: {what} is {got ?? "null"}, spec says {want ?? "null"}");
            }
            void CheckList(string what, IEnumerable<string> want, IEnumerable<string> got)
            {
                if (!want.SequenceEqual(got))
                    failures.Add(
                        $"{op.Id}: {what} is [{string.Join(", ", got)}], spec says [{string.Join(", ", want)}]"
                    );
            }

            Check("tag", op.ClassName, entry.Tag);
            Check("method name", op.MethodName, entry.MethodName);
            Check("method", op.Method, entry.Method.Method);
            Check("path template", op.Path, entry.PathTemplate);
            CheckList(
                "path parameters",
                op.PathParameters.Select(SpecOperation.Name),
                entry.PathParameters
            );
            Check("request content type", op.ContentType, entry.RequestContentType);
            Check("summary", op.Element.GetProperty("summary").GetString(), entry.Summary);

            var queries = op.QueryParameters;
            CheckList(
                "query parameters",
                queries.Select(SpecOperation.Name),
                entry.QueryParameters.Map(q => q.Name)
            );
            foreach (var (p, info) in queries.Zip(entry.QueryParameters))
            {
                var name = SpecOperation.Name(p);
                Check(name + " required", SpecOperation.Required(p), info.Required);
                Check(name + " is array", SpecOperation.Type(p) == "array", info.IsArray);
                CheckList(name + " allowed values", SpecOperation.Enum(p), info.AllowedValues);
                Check(
                    name + " minimum",
                    SpecOperation.Int(SpecOperation.Schema(p), "minimum"),
                    info.Minimum
                );
                Check(
                    name + " maximum",
                    SpecOperation.Int(SpecOperation.Schema(p), "maximum"),
                    info.Maximum
                );
            }

            var success = op
                .Element.GetProperty("responses")
                .EnumerateObject()
                .Select(r => r.Name)
                .Where(n => n.StartsWith('2'))
                .Select(int.Parse)
                .Min();
            Check("success status", success, entry.SuccessStatus);

            var rl = op.Element.GetProperty("x-klaviyo-ratelimit");
            Check("burst", Rate(rl, "burst"), entry.RateLimit.Burst);
            Check("steady", Rate(rl, "steady"), entry.RateLimit.Steady);
            Check("daily", Rate(rl, "daily"), entry.RateLimit.Daily);
            CheckList(
                "scopes",
                SpecOperation.Strings(op.Element, "x-klaviyo-scopes"),
                entry.Scopes
            );
            CheckList(
                "aliases",
                SpecOperation.Strings(op.Element, "x-klaviyo-operation-aliases"),
                entry.Aliases
            );
            Check(
                "paginated",
                queries.Any(p => SpecOperation.Name(p) is "page[cursor]" or "page_cursor"),
                entry.Paginated
            );

            var filters = op.Element.TryGetProperty("x-klaviyo-filters", out var xf)
                ? xf.EnumerateObject().ToList()
                : [];
            CheckList(
                "filter fields",
                filters.Select(f => f.Name),
                entry.Filters.Map(f => f.Field)
            );
            foreach (var (f, info) in filters.Zip(entry.Filters))
            {
                var ops2 = f.Value.GetProperty("operators");
                CheckList(
                    f.Name + " single operators",
                    SpecOperation.Strings(ops2, "single"),
                    info.SingleOperators
                );
                CheckList(
                    f.Name + " list operators",
                    SpecOperation.Strings(ops2, "list"),
                    info.ListOperators
                );
                CheckList(
                    f.Name + " no-value operators",
                    SpecOperation.Strings(ops2, "none"),
                    info.NoValueOperators
                );
                var value = f.Value.TryGetProperty("value", out var v) ? v : default;
                Check(
                    f.Name + " value type",
                    value.ValueKind == JsonValueKind.Object
                        ? value.GetProperty("type").GetString()
                        : "none",
                    info.ValueType
                );
                Check(
                    f.Name + " value format",
                    value.ValueKind == JsonValueKind.Object
                    && value.TryGetProperty("format", out var fm)
                        ? fm.GetString()
                        : null,
                    info.ValueFormat
                );
                CheckList(
                    f.Name + " allowed values",
                    SpecOperation.Strings(value, "enum"),
                    info.AllowedValues
                );
            }
        }
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} problem(s):\n" + string.Join("\n", failures.Take(50))
        );
    }

    private static Rate? Rate(JsonElement rl, string kind)
    {
        if (!rl.TryGetProperty(kind, out var v))
            return null;
        var parts = v.GetString()!.Split('/');
        var per = parts[1] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => throw new InvalidOperationException(v.GetString()),
        };
        return new Rate(int.Parse(parts[0]), per);
    }
}
