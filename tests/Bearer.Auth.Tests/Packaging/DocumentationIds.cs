using System.Reflection;
using System.Runtime.CompilerServices;

namespace Bearer.Auth.Tests.Packaging;

/// <summary>
/// The XML documentation ID (C# spec, "Documentation comments", ID string format) of every member a consumer of an
/// assembly can see: public types, and their public and protected members that the source declares. Members the
/// compiler writes (record plumbing, implicit parameterless constructors, delegate methods) carry no doc comment and
/// are left out.
/// </summary>
internal static class DocumentationIds
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    internal static IEnumerable<string> VisibleMembers(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes())
        {
            yield return "T:" + TypeName(type);
            if (type.IsSubclassOf(typeof(Delegate)))
            {
                continue;
            }

            foreach (var member in type.GetMembers(Declared).Where(IsDocumentable))
            {
                yield return member switch
                {
                    ConstructorInfo constructor => $"M:{TypeName(type)}.#ctor{Parameters(constructor.GetParameters())}",
                    MethodInfo method => Method(type, method),
                    PropertyInfo property => $"P:{TypeName(type)}.{property.Name}{Parameters(property.GetIndexParameters())}",
                    FieldInfo field => $"F:{TypeName(type)}.{field.Name}",
                    EventInfo @event => $"E:{TypeName(type)}.{@event.Name}",
                    _ => throw new NotSupportedException(member.GetType().Name),
                };
            }
        }
    }

    private static bool IsDocumentable(MemberInfo member)
    {
        // Nested public types are exported types themselves, listed once as such.
        if (member is Type || member.IsDefined(typeof(CompilerGeneratedAttribute)))
        {
            return false;
        }

        return member switch
        {
            ConstructorInfo constructor => IsVisible(constructor) && !constructor.IsStatic && constructor.GetParameters().Length > 0,
            MethodInfo method => IsVisible(method) && (!method.IsSpecialName || method.Name.StartsWith("op_", StringComparison.Ordinal)),
            PropertyInfo property => (property.GetMethod ?? property.SetMethod) is { } accessor && IsVisible(accessor),
            FieldInfo field => !field.IsSpecialName && (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly),
            EventInfo @event => @event.AddMethod is { } add && IsVisible(add),
            _ => false,
        };
    }

    private static bool IsVisible(MethodBase method) =>
        method.IsPublic || ((method.IsFamily || method.IsFamilyOrAssembly) && !method.DeclaringType!.IsSealed);

    private static string Method(Type type, MethodInfo method)
    {
        var id = $"M:{TypeName(type)}.{method.Name}";
        if (method.IsGenericMethodDefinition)
        {
            id += "``" + method.GetGenericArguments().Length;
        }

        id += Parameters(method.GetParameters());
        return method.Name is "op_Implicit" or "op_Explicit" ? id + "~" + ParameterType(method.ReturnType) : id;
    }

    private static string Parameters(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => ParameterType(p.ParameterType))) + ")";

    private static string ParameterType(Type type)
    {
        if (type.IsByRef)
        {
            return ParameterType(type.GetElementType()!) + "@";
        }

        if (type.IsPointer)
        {
            return ParameterType(type.GetElementType()!) + "*";
        }

        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return ParameterType(type.GetElementType()!) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }

        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        if (type.IsConstructedGenericType)
        {
            var definition = TypeName(type.GetGenericTypeDefinition());
            var name = definition[..definition.LastIndexOf('`')];
            return name + "{" + string.Join(",", type.GetGenericArguments().Select(ParameterType)) + "}";
        }

        return TypeName(type);
    }

    private static string TypeName(Type type) => type.FullName!.Replace('+', '.');
}
