using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Checks a configuration section against the options type it binds to, before the binder runs: every key must name a
/// property, and every value must convert as the binder would convert it (<see cref="TypeDescriptor"/>, invariant
/// culture). Errors carry the key's path and the rule as values, never the value itself.
/// </summary>
internal static class ConfigurationShape
{
    /// <summary>Adds an error per unknown key and per value that does not convert.</summary>
    /// <param name="section">The section.</param>
    /// <param name="type">The type it binds to.</param>
    /// <param name="errors">Receives the errors.</param>
    /// <param name="extraValue">Takes a single value under an object of this type that names no property; null makes it an error.</param>
    public static void Check(IConfiguration section, Type type, List<EndpointValidationError> errors, Func<Type, IConfigurationSection, bool>? extraValue = null)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.GetIndexParameters().Length > 0 || !IsBound(property))
            {
                if (child.Value is null && !child.GetChildren().Any())
                {
                    continue;
                }

                if (child.Value is null || extraValue?.Invoke(type, child) != true)
                {
                    errors.Add(new(child.Path, $"'{child.Key}' is not an option of {type.Name}"));
                }

                continue;
            }

            CheckValue(child, property.PropertyType, errors, extraValue);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<EndpointValidationError> errors, Func<Type, IConfigurationSection, bool>? extraValue)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (section.Value is null && section.GetChildren().Any())
            {
                // A section where one value belongs: the binder would leave the property as it is.
                errors.Add(new(section.Path, $"must be a single value ({target.Name})"));
            }
            else if (section.Value is not null && !Converts(section.Value, target))
            {
                errors.Add(new(section.Path, $"cannot be converted to {target.Name}"));
            }

            return;
        }

        if (ElementOf(target, typeof(IDictionary<,>), 1) is { } value)
        {
            foreach (var entry in section.GetChildren())
            {
                CheckValue(entry, value, errors, extraValue);
            }

            return;
        }

        if (target != typeof(string) && ElementOf(target, typeof(IEnumerable<>), 0) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, errors, extraValue);
            }

            return;
        }

        Check(section, target, errors, extraValue);
    }

    // Delegates and other members the binder never sets from configuration are not options.
    private static bool IsBound(PropertyInfo property) =>
        !typeof(Delegate).IsAssignableFrom(property.PropertyType) && (property.CanWrite || !IsScalar(property.PropertyType));

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan)
            || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Uri) || t == typeof(Guid);
    }

    private static bool Converts(string value, Type type)
    {
        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return true;
        }
#pragma warning disable CA1031 // Converters throw any exception for a value they refuse; the value is the configuration's error.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static Type? ElementOf(Type type, Type generic, int argument)
    {
        var match = type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);
        return match?.GetGenericArguments()[argument];
    }
}
