//! Handles to resources, bound to the catalog that issued them.

use std::fmt;

/// The fingerprint of a catalog's content, carried by every [`ResourceId`] it hands out.
///
/// Equal catalogs (the same resources, parents, actions and roles) have the same tag, however
/// they were built; see [`super::Catalog::fingerprint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(super) struct CatalogTag(pub(super) u32);

/// A handle to a resource of one [`Catalog`](super::Catalog): its position in display order,
/// bound to that catalog.
///
/// A handle carries its catalog's fingerprint ([`Catalog::fingerprint`](super::Catalog::fingerprint)),
/// so it addresses a resource only in the catalog that issued it and in catalogs equal to it
/// (clones, the same catalog read again from its JSON, another [`Catalog::portal`](super::Catalog::portal)).
/// Given to any other catalog, or to a grid or settings of another catalog, it is not
/// contained: lookups answer "not applicable", nothing, or [`Error::UnknownResource`](crate::Error::UnknownResource);
/// none panics, whatever its index.
///
/// Handles are obtained from a catalog ([`Catalog::resource`](super::Catalog::resource),
/// [`Catalog::resources`](super::Catalog::resources), [`Catalog::id_at`](super::Catalog::id_at),
/// ...); they cannot be made from a bare number. Ordered by index first, so the handles of one
/// catalog sort in display order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId {
    index: u16,
    catalog: CatalogTag,
}

impl ResourceId {
    /// The handle of the resource at `index` in the catalog tagged `catalog`. Catalogs hold at
    /// most [`Catalog::MAX_RESOURCES`](super::Catalog::MAX_RESOURCES) resources, so every
    /// index they hand out fits; a larger one becomes an index no catalog holds.
    pub(super) fn new(catalog: CatalogTag, index: usize) -> ResourceId {
        ResourceId {
            index: u16::try_from(index).unwrap_or(u16::MAX),
            catalog,
        }
    }

    /// The position of the resource in its catalog's display order, `0..catalog.len()`.
    pub const fn index(self) -> usize {
        self.index as usize
    }

    /// The fingerprint of the catalog that issued the handle.
    pub(super) const fn tag(self) -> CatalogTag {
        self.catalog
    }
}

impl fmt::Debug for ResourceId {
    /// `ResourceId(#3 of catalog 1a2b3c4d)`: the index and the catalog's fingerprint in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResourceId(#{} of catalog {:08x})",
            self.index, self.catalog.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_debug() {
        let id = ResourceId::new(CatalogTag(0x1a2b_3c4d), 3);
        assert_eq!(id.index(), 3);
        assert_eq!(format!("{id:?}"), "ResourceId(#3 of catalog 1a2b3c4d)");
        assert_eq!(ResourceId::new(CatalogTag(1), 1 << 20).index(), 65535);
    }

    #[test]
    fn same_index_other_catalog_differs() {
        let a = ResourceId::new(CatalogTag(1), 2);
        let b = ResourceId::new(CatalogTag(2), 2);
        assert_ne!(a, b);
        assert_eq!(a.index(), b.index());
        // Display order within one catalog.
        assert!(ResourceId::new(CatalogTag(9), 1) < ResourceId::new(CatalogTag(9), 2));
    }
}
