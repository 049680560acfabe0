using System.Text;

namespace Klaviyo.Codegen;

/// <summary>
/// Writes the models: one file per component schema (holding its inline types), one per shared type, and the
/// System.Text.Json source-generation context that lists them all.
/// </summary>
public static class ModelsEmitter
{
    /// <summary>The namespace of the models.</summary>
    public const string Namespace = "Klaviyo.Models";

    private const string I = "    ";

    /// <summary>The model files, ordered by name.</summary>
    public static IReadOnlyList<GeneratedFile> Emit(string revision, ModelSet models)
    {
        var files = new List<GeneratedFile>();
        foreach (
            var group in models
                .Definitions.GroupBy(d => d.FileGroup)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
        )
        {
            var sb = new StringBuilder();
            sb.Append(Generator.Header(revision));
            sb.Append("#nullable enable\n\n");
            sb.Append("using System.Text.Json;\n");
            sb.Append("using System.Text.Json.Nodes;\n");
            sb.Append("using System.Text.Json.Serialization;\n\n");
            sb.Append("namespace ").Append(Namespace).Append(";\n");
            // The group's own type first, then the rest by name.
            foreach (
                var d in group
                    .OrderBy(d => d.Name == group.Key ? 0 : 1)
                    .ThenBy(d => d.Name, StringComparer.Ordinal)
            )
            {
                sb.Append('\n');
                switch (d)
                {
                    case RecordDefinition r:
                        EmitRecord(sb, r);
                        break;
                    case EnumDefinition e:
                        EmitEnum(sb, e, jsonConverter: true);
                        break;
                    case UnionDefinition u:
                        EmitUnion(sb, u);
                        break;
                }
            }
            files.Add(new GeneratedFile(group.Key + ".g.cs", sb.ToString()));
        }
        files.Add(EmitResolver(revision, models));
        return [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    private static void Doc(StringBuilder sb, string indent, string text)
    {
        foreach (var line in DocText.Wrap(indent, text))
            sb.Append(line).Append('\n');
    }

    private static void EmitRecord(StringBuilder sb, RecordDefinition r)
    {
        Doc(sb, "", $"<summary>{r.Summary}</summary>");
        sb.Append("[JsonConverter(typeof(ModelConverter<").Append(r.Name).Append(">))]\n");
        sb.Append("public sealed record ")
            .Append(r.Name)
            .Append(" : IJsonModel<")
            .Append(r.Name)
            .Append(">\n{\n");
        var ctor = r.Properties.Where(p => p.InConstructor).ToList();
        if (ctor.Count > 0)
        {
            Doc(
                sb,
                I,
                $"<summary>Creates a <see cref=\"{r.Name}\"/> from the members the spec requires; set the others with an object initializer.</summary>"
            );
            foreach (var p in ctor)
                Doc(sb, I, $"<param name=\"{p.ParameterName}\">{p.Doc}</param>");
            var parameters = ctor.Select(p =>
                    $"{p.Type.Written(p.Nullable)} {Naming.Identifier(p.ParameterName)}"
                )
                .ToList();
            var head = $"{I}public {r.Name}(";
            var oneLine = head + string.Join(", ", parameters) + ")";
            if (oneLine.Length <= Code.Width)
                sb.Append(oneLine).Append('\n');
            else
            {
                sb.Append(head).Append('\n');
                for (var i = 0; i < parameters.Count; i++)
                    sb.Append(I)
                        .Append(I)
                        .Append(parameters[i])
                        .Append(i < parameters.Count - 1 ? ",\n" : "\n");
                sb.Append(I).Append(")\n");
            }
            sb.Append(I).Append("{\n");
            foreach (var p in ctor)
                sb.Append(I)
                    .Append(I)
                    .Append(p.Name)
                    .Append(" = ")
                    .Append(Naming.Identifier(p.ParameterName))
                    .Append(";\n");
            sb.Append(I).Append("}\n");
        }
        foreach (var p in r.Properties)
        {
            if (ctor.Count > 0 || p != r.Properties[0])
                sb.Append('\n');
            Doc(sb, I, $"<summary>{p.Doc}</summary>");
            sb.Append(I)
                .Append("[JsonPropertyName(")
                .Append(Naming.Literal(p.JsonName))
                .Append(")]\n");
            sb.Append(I)
                .Append("public ")
                .Append(p.Type.Written(p.Nullable))
                .Append(' ')
                .Append(p.Name)
                .Append(" { get; init; }");
            if (p.Constant is not null)
                sb.Append(" = ").Append(p.Constant).Append(';');
            sb.Append('\n');
        }
        EmitRecordRead(sb, r);
        EmitRecordWrite(sb, r);
        sb.Append("}\n");
    }

    private static void EmitRecordRead(StringBuilder sb, RecordDefinition r)
    {
        sb.Append('\n');
        sb.Append(I)
            .Append("static ")
            .Append(r.Name)
            .Append(" IJsonModel<")
            .Append(r.Name)
            .Append(">.Read(ref Utf8JsonReader reader, JsonSerializerOptions options)\n");
        sb.Append(I).Append("{\n");
        sb.Append(I).Append(I).Append("ModelReading.StartObject(ref reader);\n");
        var ps = r.Properties;
        for (var i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            var local = p.Type.IsValueType && !p.Nullable ? p.Type.Code : p.Type.Code + "?";
            sb.Append(I)
                .Append(I)
                .Append(local)
                .Append(" v")
                .Append(i)
                .Append(" = ")
                .Append(p.Constant ?? "default")
                .Append(";\n");
        }
        sb.Append(I).Append(I).Append("while (ModelReading.NextMember(ref reader))\n");
        sb.Append(I).Append(I).Append("{\n");
        for (var i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            sb.Append(I)
                .Append(I)
                .Append(I)
                .Append(i == 0 ? "if" : "else if")
                .Append(" (reader.ValueTextEquals(")
                .Append(Utf8(p.JsonName))
                .Append("))\n");
            var call = MemberRead(p);
            sb.Append(I)
                .Append(I)
                .Append(I)
                .Append(I)
                .Append('v')
                .Append(i)
                .Append(" = ")
                .Append(call)
                .Append(";\n");
        }
        sb.Append(I).Append(I).Append(I).Append("else\n");
        sb.Append(I).Append(I).Append(I).Append(I).Append("ModelReading.Skip(ref reader);\n");
        sb.Append(I).Append(I).Append("}\n");
        var args = new List<string>();
        var inits = new List<string>();
        for (var i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            if (p.InConstructor)
                args.Add($"v{i}" + (p.Type.IsValueType || p.Nullable ? "" : "!"));
            else
                inits.Add($"{p.Name} = v{i}" + (p.Type.IsValueType || p.Nullable ? "" : "!"));
        }
        var create = $"new {r.Name}({string.Join(", ", args)})";
        if (inits.Count == 0)
            sb.Append(I).Append(I).Append("return ").Append(create).Append(";\n");
        else
        {
            sb.Append(I).Append(I).Append("return ").Append(create).Append('\n');
            sb.Append(I).Append(I).Append("{\n");
            foreach (var init in inits)
                sb.Append(I).Append(I).Append(I).Append(init).Append(",\n");
            sb.Append(I).Append(I).Append("};\n");
        }
        sb.Append(I).Append("}\n");
    }

    private static void EmitRecordWrite(StringBuilder sb, RecordDefinition r)
    {
        sb.Append('\n');
        sb.Append(I)
            .Append("static void IJsonModel<")
            .Append(r.Name)
            .Append(">.Write(Utf8JsonWriter writer, ")
            .Append(r.Name)
            .Append(" value, JsonSerializerOptions options)\n");
        sb.Append(I).Append("{\n");
        sb.Append(I).Append(I).Append("writer.WriteStartObject();\n");
        foreach (var p in r.Properties)
            sb.Append(I).Append(I).Append(WriteMember(p)).Append(";\n");
        sb.Append(I).Append(I).Append("writer.WriteEndObject();\n");
        sb.Append(I).Append("}\n");
    }

    /// <summary>A UTF-8 literal: <c>"name"u8</c>.</summary>
    private static string Utf8(string s) => Naming.Literal(s) + "u8";

    /// <summary>The call that reads member <paramref name="p"/> (the reader is on its name).</summary>
    private static string MemberRead(PropertyDefinition p)
    {
        var name = Naming.Literal(p.JsonName);
        var n = p.Nullable ? "OrNull" : "";
        return p.Type switch
        {
            ClrType.Model { Definition: EnumDefinition e } =>
                $"ModelReading.Enum{n}<{e.Name}>(ref reader, {name})",
            ClrType.Model m =>
                $"ModelReading.Model<{m.Definition.Name}>(ref reader, options, {name})",
            ClrType.ListOf l =>
                $"ModelReading.List<{l.Item.Code}>(ref reader, options, {name}, {Reader(l.Item)})",
            ClrType.Builtin b => b.Name switch
            {
                "string" => $"ModelReading.String(ref reader, {name})",
                "long" => $"ModelReading.Long{n}(ref reader, {name})",
                "double" => $"ModelReading.Double{n}(ref reader, {name})",
                "bool" => $"ModelReading.Bool{n}(ref reader, {name})",
                "DateTimeOffset" => $"ModelReading.DateTime{n}(ref reader, {name})",
                "JsonObject" => $"ModelReading.Object(ref reader, options, {name})",
                "JsonNode" => $"ModelReading.Node(ref reader, options, {name})",
                _ => throw new InvalidOperationException(b.Name),
            },
            _ => throw new InvalidOperationException(p.Type.ToString()),
        };
    }

    /// <summary>A <c>ValueReader</c> for <paramref name="t"/> (list items and union cases).</summary>
    private static string Reader(ClrType t, bool global = false) =>
        t switch
        {
            ClrType.Model { Definition: EnumDefinition } =>
                $"ModelReading.EnumValue<{Name(t, global)}>",
            ClrType.Model => $"ModelReading.ModelValue<{Name(t, global)}>",
            ClrType.ListOf l =>
                $"static (ref Utf8JsonReader r, JsonSerializerOptions o) => ModelReading.ListValue<{Name(l.Item, global)}>(ref r, o, {Reader(l.Item, global)})",
            ClrType.Builtin b => b.Name switch
            {
                "string" => "ModelReading.StringValue",
                "long" => "ModelReading.LongValue",
                "double" => "ModelReading.DoubleValue",
                "bool" => "ModelReading.BoolValue",
                "DateTimeOffset" => "ModelReading.DateTimeValue",
                "JsonObject" => "ModelReading.ObjectValue",
                "JsonNode" => "ModelReading.NodeValue",
                _ => throw new InvalidOperationException(b.Name),
            },
            _ => throw new InvalidOperationException(t.ToString()),
        };

    /// <summary>A <c>ValueWriter</c> for <paramref name="t"/> (list items and union cases).</summary>
    private static string Writer(ClrType t, bool global = false) =>
        t switch
        {
            ClrType.Model { Definition: EnumDefinition } =>
                $"ModelWriting.EnumValue<{Name(t, global)}>",
            ClrType.Model => $"ModelWriting.ModelValue<{Name(t, global)}>",
            ClrType.ListOf l =>
                $"static (Utf8JsonWriter w, {Name(l, global)} v, JsonSerializerOptions o) => ModelWriting.ListValue<{Name(l.Item, global)}>(w, v, o, {Writer(l.Item, global)})",
            ClrType.Builtin b => b.Name switch
            {
                "string" => "ModelWriting.StringValue",
                "long" => "ModelWriting.LongValue",
                "double" => "ModelWriting.DoubleValue",
                "bool" => "ModelWriting.BoolValue",
                "DateTimeOffset" => "ModelWriting.DateTimeValue",
                "JsonObject" or "JsonNode" => "ModelWriting.JsonValue",
                _ => throw new InvalidOperationException(b.Name),
            },
            _ => throw new InvalidOperationException(t.ToString()),
        };

    private static string Name(ClrType t, bool global) => global ? Global(t) : t.Code;

    private static string WriteMember(PropertyDefinition p)
    {
        var name = Utf8(p.JsonName);
        var value = "value." + p.Name;
        return p.Type switch
        {
            ClrType.Model { Definition: EnumDefinition e } =>
                $"ModelWriting.Enum<{e.Name}>(writer, {name}, {value})",
            ClrType.Model m =>
                $"ModelWriting.Model<{m.Definition.Name}>(writer, {name}, {value}, options)",
            ClrType.ListOf l =>
                $"ModelWriting.List<{l.Item.Code}>(writer, {name}, {value}, options, {Writer(l.Item)})",
            ClrType.Builtin b => b.Name switch
            {
                "string" => $"ModelWriting.String(writer, {name}, {value})",
                "long" => $"ModelWriting.Long(writer, {name}, {value})",
                "double" => $"ModelWriting.Double(writer, {name}, {value})",
                "bool" => $"ModelWriting.Bool(writer, {name}, {value})",
                "DateTimeOffset" => $"ModelWriting.DateTime(writer, {name}, {value})",
                "JsonObject" or "JsonNode" =>
                    $"ModelWriting.Json(writer, {name}, {value}, options)",
                _ => throw new InvalidOperationException(b.Name),
            },
            _ => throw new InvalidOperationException(p.Type.ToString()),
        };
    }

    /// <summary>A string enum as a value type that keeps any value; shared with the typed query parameters.</summary>
    public static void EmitEnum(StringBuilder sb, EnumDefinition e, bool jsonConverter)
    {
        var values = e.Values;
        var members = e.Members;
        Doc(
            sb,
            "",
            $"<summary>{e.Summary}</summary><remarks>Known values: {DocText.Values(values, 12)}. Any other string is kept as it is (<c>\"x\"</c> converts implicitly), so a value newer than the spec still reads and sends.</remarks>"
        );
        Doc(sb, "", "<param name=\"Value\">The value as sent on the wire.</param>");
        if (jsonConverter)
            sb.Append("[JsonConverter(typeof(StringValueConverter<")
                .Append(e.Name)
                .Append(">))]\n");
        sb.Append("public readonly record struct ")
            .Append(e.Name)
            .Append("(string Value) : IStringValue<")
            .Append(e.Name)
            .Append(">\n{\n");
        for (var i = 0; i < values.Count; i++)
        {
            Doc(sb, I, $"<summary><c>{DocText.Escape(values[i])}</c>.</summary>");
            sb.Append(I)
                .Append("public static readonly ")
                .Append(e.Name)
                .Append(' ')
                .Append(members[i])
                .Append(" = new(")
                .Append(Naming.Literal(values[i]))
                .Append(");\n\n");
        }
        Doc(sb, I, "<summary>Every value the spec lists, in the spec's order.</summary>");
        var known =
            $"{I}public static IReadOnlyList<{e.Name}> Known {{ get; }} = [{string.Join(", ", members)}];";
        if (known.Length <= Code.Width)
            sb.Append(known).Append("\n\n");
        else
        {
            sb.Append(I)
                .Append("public static IReadOnlyList<")
                .Append(e.Name)
                .Append("> Known { get; } =\n");
            sb.Append(I).Append("[\n");
            foreach (var m in members)
                sb.Append(I).Append(I).Append(m).Append(",\n");
            sb.Append(I).Append("];\n\n");
        }
        Doc(sb, I, "<summary>Whether the spec lists this value.</summary>");
        sb.Append(I).Append("public bool IsKnown => Known.Contains(this);\n\n");
        Doc(sb, I, "<summary>The value.</summary>");
        sb.Append(I).Append("public override string ToString() => Value ?? \"\";\n\n");
        Doc(
            sb,
            I,
            "<summary>Wraps <paramref name=\"value\"/>, known to the spec or not. A null string gives a value that, like <c>default</c>, is never sent.</summary>"
        );
        Doc(sb, I, "<param name=\"value\">The value as sent on the wire.</param>");
        sb.Append(I)
            .Append("public static implicit operator ")
            .Append(e.Name)
            .Append("(string? value) => new(value!);\n\n");
        sb.Append(I)
            .Append("static ")
            .Append(e.Name)
            .Append(" IStringValue<")
            .Append(e.Name)
            .Append(">.From(string value) => new(value);\n");
        sb.Append("}\n");
    }

    private static string Global(ClrType t) =>
        t switch
        {
            ClrType.Model m => "global::" + Namespace + "." + m.Definition.Name,
            ClrType.ListOf l => $"IReadOnlyList<{Global(l.Item)}>",
            _ => t.Code,
        };

    private static void EmitUnion(StringBuilder sb, UnionDefinition u)
    {
        var how = u.Discriminator is { } d
            ? $"An object is told apart by its <c>{DocText.Escape(d)}</c> member"
            : "An object is told apart by its shape (the members it has and their constant values)";
        Doc(
            sb,
            "",
            $"<summary>{u.Summary}</summary><remarks>A closed set of cases for a <c>switch</c>. {how}; a value that fits no case is kept as <see cref=\"Unknown\"/>, never an error.</remarks>"
        );
        sb.Append("[JsonConverter(typeof(ModelConverter<").Append(u.Name).Append(">))]\n");
        sb.Append("public abstract record ")
            .Append(u.Name)
            .Append(" : IJsonModel<")
            .Append(u.Name)
            .Append(">\n{\n");
        sb.Append(I).Append("private ").Append(u.Name).Append("() { }\n");
        foreach (var c in u.Cases)
        {
            sb.Append('\n');
            Doc(sb, I, $"<summary>{c.Doc}</summary>");
            Doc(sb, I, "<param name=\"Value\">The value.</param>");
            sb.Append(I)
                .Append("public sealed record ")
                .Append(c.Name)
                .Append('(')
                .Append(Global(c.Type))
                .Append(" Value) : ")
                .Append(u.Name)
                .Append('\n');
            sb.Append(I).Append("{\n");
            sb.Append(I)
                .Append(I)
                .Append(
                    "internal override void Write(Utf8JsonWriter writer, JsonSerializerOptions options) =>\n"
                );
            sb.Append(I)
                .Append(I)
                .Append(I)
                .Append(
                    c.Type is ClrType.ListOf cl
                        ? $"ModelWriting.ListValue<{Global(cl.Item)}>(writer, Value, options, {Writer(cl.Item, global: true)});\n"
                        : $"{Writer(c.Type, global: true)}(writer, Value, options);\n"
                );
            sb.Append(I).Append("}\n");
        }
        sb.Append('\n');
        Doc(
            sb,
            I,
            "<summary>A value that fits no case the spec describes, kept as it was received.</summary>"
        );
        Doc(sb, I, "<param name=\"Raw\">The JSON as received.</param>");
        sb.Append(I)
            .Append("public sealed record Unknown(JsonElement Raw) : ")
            .Append(u.Name)
            .Append('\n');
        sb.Append(I).Append("{\n");
        sb.Append(I)
            .Append(I)
            .Append(
                "internal override void Write(Utf8JsonWriter writer, JsonSerializerOptions options) =>\n"
            );
        sb.Append(I).Append(I).Append(I).Append("Raw.WriteTo(writer);\n");
        sb.Append(I).Append("}\n\n");
        sb.Append(I)
            .Append(
                "internal abstract void Write(Utf8JsonWriter writer, JsonSerializerOptions options);\n\n"
            );
        sb.Append(I)
            .Append("static void IJsonModel<")
            .Append(u.Name)
            .Append(">.Write(Utf8JsonWriter writer, ")
            .Append(u.Name)
            .Append(" value, JsonSerializerOptions options) =>\n");
        sb.Append(I).Append(I).Append("value.Write(writer, options);\n\n");

        var objects = u.Cases.Where(c => c.Token == "object").ToList();

        // Implicit conversions from each case's value, where the value type is unambiguous.
        var convertible = u
            .Cases.GroupBy(c => Global(c.Type))
            .Where(g => g.Count() == 1 && g.First().Type is not ClrType.ListOf)
            .Select(g => g.First())
            .ToList();
        foreach (var c in convertible)
        {
            Doc(
                sb,
                I,
                $"<summary>Wraps <paramref name=\"value\"/> as <see cref=\"{c.Name}\"/>.</summary>"
            );
            Doc(sb, I, "<param name=\"value\">The value.</param>");
            sb.Append(I)
                .Append("public static implicit operator ")
                .Append(u.Name)
                .Append('(')
                .Append(Global(c.Type))
                .Append(" value) =>\n");
            sb.Append(I).Append(I).Append("new ").Append(c.Name).Append("(value);\n\n");
        }

        if (u.Discriminator is null && objects.Count > 0)
        {
            sb.Append(I).Append("private static readonly ObjectShape.Case[] Shapes =\n");
            sb.Append(I).Append("[\n");
            foreach (var c in objects)
            {
                static string Strings(IEnumerable<string> xs) =>
                    "[" + string.Join(", ", xs.Select(Naming.Literal)) + "]";
                sb.Append(I)
                    .Append(I)
                    .Append("new(")
                    .Append(Strings(c.RequiredNames))
                    .Append(", ")
                    .Append(Strings(c.Constants.SelectMany(k => new[] { k.Name, k.Value })))
                    .Append(", ")
                    .Append(Strings(c.Members))
                    .Append("),\n");
            }
            sb.Append(I).Append("];\n\n");
        }
        sb.Append(I)
            .Append("static ")
            .Append(u.Name)
            .Append(" IJsonModel<")
            .Append(u.Name)
            .Append(">.Read(ref Utf8JsonReader reader, JsonSerializerOptions options)\n");
        sb.Append(I).Append("{\n");
        string Read(UnionCase c) =>
            c.Type is ClrType.ListOf l
                ? $"new {c.Name}(ModelReading.ListValue<{Global(l.Item)}>(ref reader, options, {Reader(l.Item, global: true)}))"
                : $"new {c.Name}({Reader(c.Type, global: true)}(ref reader, options))";
        if (objects.Count > 0)
        {
            sb.Append(I).Append(I).Append("if (reader.TokenType == JsonTokenType.StartObject)\n");
            sb.Append(I).Append(I).Append("{\n");
            if (u.Discriminator is { } disc)
            {
                sb.Append(I)
                    .Append(I)
                    .Append(I)
                    .Append("switch (UnionReading.Member(reader, ")
                    .Append(Naming.Literal(disc))
                    .Append("))\n");
                sb.Append(I).Append(I).Append(I).Append("{\n");
                foreach (var c in objects)
                {
                    sb.Append(I)
                        .Append(I)
                        .Append(I)
                        .Append(I)
                        .Append("case ")
                        .Append(Naming.Literal(c.DiscriminatorValue))
                        .Append(":\n");
                    sb.Append(I)
                        .Append(I)
                        .Append(I)
                        .Append(I)
                        .Append(I)
                        .Append("return ")
                        .Append(Read(c))
                        .Append(";\n");
                }
                sb.Append(I).Append(I).Append(I).Append("}\n");
            }
            else
            {
                sb.Append(I)
                    .Append(I)
                    .Append(I)
                    .Append("switch (UnionReading.Shape(reader).Best(Shapes))\n");
                sb.Append(I).Append(I).Append(I).Append("{\n");
                for (var i = 0; i < objects.Count; i++)
                {
                    sb.Append(I).Append(I).Append(I).Append(I).Append($"case {i}:\n");
                    sb.Append(I)
                        .Append(I)
                        .Append(I)
                        .Append(I)
                        .Append(I)
                        .Append("return ")
                        .Append(Read(objects[i]))
                        .Append(";\n");
                }
                sb.Append(I).Append(I).Append(I).Append("}\n");
            }
            sb.Append(I).Append(I).Append("}\n");
        }
        foreach (var c in u.Cases.Where(c => c.Token != "object"))
        {
            var test = c.Token switch
            {
                "string" => "reader.TokenType == JsonTokenType.String",
                "number" => "reader.TokenType == JsonTokenType.Number",
                "boolean" => "reader.TokenType is JsonTokenType.True or JsonTokenType.False",
                "array" => "reader.TokenType == JsonTokenType.StartArray",
                _ => "reader.TokenType != JsonTokenType.Null",
            };
            sb.Append(I).Append(I).Append("if (").Append(test).Append(")\n");
            sb.Append(I).Append(I).Append(I).Append("return ").Append(Read(c)).Append(";\n");
        }
        sb.Append(I).Append(I).Append("return new Unknown(UnionReading.Raw(ref reader));\n");
        sb.Append(I).Append("}\n");
        sb.Append("}\n");
    }

    private static GeneratedFile EmitResolver(string revision, ModelSet models)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("using System.Text.Json;\n");
        sb.Append("using System.Text.Json.Serialization.Metadata;\n\n");
        sb.Append("namespace ").Append(Namespace).Append(";\n\n");
        sb.Append("internal sealed partial class ModelsResolver\n{\n");
        sb.Append(I)
            .Append(
                "private static readonly Dictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>> Factories = new()\n"
            );
        sb.Append(I).Append("{\n");
        foreach (var d in models.Definitions)
            sb.Append(I)
                .Append(I)
                .Append("[typeof(")
                .Append(d.Name)
                .Append(")] = ")
                .Append(d is EnumDefinition ? "Value<" : "Model<")
                .Append(d.Name)
                .Append(">,\n");
        sb.Append(I).Append("};\n");
        sb.Append("}\n");
        return new GeneratedFile("ModelsResolver.g.cs", sb.ToString());
    }
}
