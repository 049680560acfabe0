using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LanguageExt;

namespace Klaviyo;

/// <summary>Decodes an attributes object into a user type, turning every failure into a path-naming decode error.</summary>
internal static class AttributeDecoding
{
    /// <summary>
    /// The lenient options: snake_case names (<c>first_name</c> → <c>FirstName</c>) with the member's own name
    /// accepted too, case-insensitive, numbers from strings, lenient primitives and enums, nothing required.
    /// </summary>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers = { NameAliases.AcceptMemberNames, NameAliases.NothingRequired },
            },
        };
        options.Converters.Add(new LenientString());
        options.Converters.Add(new LenientValues());
        options.MakeReadOnly();
        return options;
    }

    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static Either<KlaviyoError, T> Decode<T>(
        JsonElement attributes,
        string location,
        DecodeOrigin origin,
        JsonSerializerOptions options
    ) => Decode(attributes, location, origin, e => e.Deserialize<T>(options));

    /// <summary>Decodes with source-generated (or otherwise supplied) metadata: no reflection, trim- and AOT-safe.</summary>
    public static Either<KlaviyoError, T> Decode<T>(
        JsonElement attributes,
        string location,
        DecodeOrigin origin,
        JsonTypeInfo<T> typeInfo
    ) => Decode(attributes, location, origin, e => e.Deserialize(typeInfo));

    private static Either<KlaviyoError, T> Decode<T>(
        JsonElement attributes,
        string location,
        DecodeOrigin origin,
        Func<JsonElement, T?> deserialize
    )
    {
        try
        {
            var value = deserialize(attributes);
            if (value is null)
            {
                // "attributes": null (or a user type that reads null): decode an empty object instead.
                value = deserialize(JsonApiReading.EmptyObject);
                if (value is null)
                    return origin.Error(
                        $"at {location}: could not create a {typeof(T).Name} from the attributes"
                    );
            }
            return value;
        }
        catch (Exception e)
            when (e is JsonException or InvalidOperationException
                && JsonText.Clean(attributes) is { } clean
            )
        {
            // A key or string that is not well-formed Unicode trips the serializer's strict reading of names and
            // values; read the attributes again with those parts as U+FFFD. The copy is clean, so this happens once.
            return Decode(clean, location, origin, deserialize);
        }
        catch (JsonException e)
        {
            return origin.Error($"at {Join(location, e.Path)}: {WithoutPathSuffix(e.Message)}");
        }
        catch (Exception e)
            when (e
                    is NotSupportedException
                        or InvalidOperationException
                        or ArgumentException
                        or FormatException
                        or OverflowException
            )
        {
            return origin.Error(
                $"at {location}: cannot decode into {typeof(T).Name}: {WithoutPathSuffix(e.Message)}"
            );
        }
    }

    /// <summary><c>$.data[3].attributes</c> + <c>$.location.latitude</c> → <c>$.data[3].attributes.location.latitude</c>.</summary>
    private static string Join(string location, string? path) =>
        string.IsNullOrEmpty(path) || path == "$"
            ? location
            : location + (path.StartsWith('$') ? path[1..] : "." + path);

    /// <summary>System.Text.Json appends "Path: … | LineNumber: …"; the path is given separately, relative to the whole document.</summary>
    private static string WithoutPathSuffix(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd();
    }
}
