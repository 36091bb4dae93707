//! `Catalog`: the permission tree, addressed by resource name.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use seccode::Error;
use seccode::{Catalog, ResourceId};

use crate::{convert, errors};

/// The tree of resources of a portal and the actions that apply to each, in display order.
/// Immutable; a resource is found by its name, in any letter case (the core's one rule).
#[pyclass(module = "seccode._native", name = "Catalog", frozen)]
pub(crate) struct PyCatalog {
    pub(crate) inner: Arc<Catalog>,
}

impl PyCatalog {
    /// The handle of a resource by name; `NotFound` for a name the catalog lacks.
    fn id(&self, py: Python<'_>, name: &str) -> PyResult<ResourceId> {
        errors::core(py, self.inner.require(name))
    }
}

/// Text given as `str`, `bytes` or `bytearray` (UTF-8); anything else is a `TypeError`, and
/// bytes that are not UTF-8 are `MalformedData`.
pub(crate) fn json_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = obj.py();
    if let Ok(text) = obj.extract::<String>() {
        return Ok(text);
    }
    let bytes: Vec<u8> = if let Ok(b) = obj.cast::<pyo3::types::PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(b) = obj.cast::<pyo3::types::PyByteArray>() {
        b.to_vec()
    } else {
        return Err(errors::wrong_type(
            "JSON text",
            "str, bytes or bytearray",
            obj,
        ));
    };
    String::from_utf8(bytes)
        .map_err(|_| errors::to_py(py, &Error::MalformedData("not valid UTF-8".into())))
}

#[pymethods]
impl PyCatalog {
    /// The seed portal's catalog (13 resources under "Client Portal").
    #[new]
    fn new() -> Self {
        PyCatalog {
            inner: Arc::new(Catalog::portal()),
        }
    }

    /// The seed portal's catalog (the same as `Catalog()`).
    #[staticmethod]
    fn portal() -> Self {
        Self::new()
    }

    /// Read a catalog from its JSON form (flat entries with `name`, `parent` and `actions`, and
    /// optional `roles`); `MalformedData` when it is not a valid tree.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = json_text(text)?;
        let catalog = errors::core(py, Catalog::from_json(&text))?;
        Ok(PyCatalog {
            inner: Arc::new(catalog),
        })
    }

    /// The catalog as JSON (flat form, with all three roles).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        errors::core(py, self.inner.to_json())
    }

    /// The root resource's name.
    #[getter]
    fn root(&self) -> String {
        self.inner.name(self.inner.root()).to_owned()
    }

    /// Every resource name, in display order (depth-first, parents before children).
    #[getter]
    fn resources(&self) -> Vec<String> {
        self.inner
            .resources()
            .map(|id| self.inner.name(id).to_owned())
            .collect()
    }

    /// The actions that apply to a resource, in column order.
    fn actions<'py>(&self, py: Python<'py>, resource: String) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let id = self.id(py, &resource)?;
        self.inner
            .actions(id)
            .iter()
            .map(|action| convert::action_out(py, action))
            .collect()
    }

    /// Whether `action` applies to a resource (false is the grid's "-").
    fn applies(&self, py: Python<'_>, resource: String, action: String) -> PyResult<bool> {
        let id = self.id(py, &resource)?;
        let action = convert::action_in(py, &action)?;
        Ok(self.inner.applies(id, action))
    }

    /// The parent's name; `None` for the root.
    fn parent(&self, py: Python<'_>, resource: String) -> PyResult<Option<String>> {
        let id = self.id(py, &resource)?;
        Ok(self.inner.parent(id).map(|p| self.inner.name(p).to_owned()))
    }

    /// The direct children's names, in display order.
    fn children(&self, py: Python<'_>, resource: String) -> PyResult<Vec<String>> {
        let id = self.id(py, &resource)?;
        Ok(self
            .inner
            .children(id)
            .map(|c| self.inner.name(c).to_owned())
            .collect())
    }

    /// How deep a resource sits (0 for the root).
    fn depth(&self, py: Python<'_>, resource: String) -> PyResult<usize> {
        let id = self.id(py, &resource)?;
        Ok(self.inner.depth(id))
    }

    /// The resources whose cells grant the rights of SPEC 3: `profile`, `manage_contacts`
    /// and `billing`, each a resource name or `None` (only the primary contact holds it).
    #[getter]
    fn roles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let roles = self.inner.roles();
        let name = |r: Option<ResourceId>| r.map(|id| self.inner.name(id).to_owned());
        let dict = PyDict::new(py);
        dict.set_item("profile", name(roles.profile))?;
        dict.set_item("manage_contacts", name(roles.manage_contacts))?;
        dict.set_item("billing", name(roles.billing))?;
        Ok(dict)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __contains__(&self, resource: &Bound<'_, PyAny>) -> bool {
        resource
            .extract::<String>()
            .is_ok_and(|name| self.inner.resource(&name).is_some())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyo3::types::PyList::new(py, self.resources())?
            .as_any()
            .try_iter()
            .map(Bound::into_any)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCatalog>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }

    fn __hash__(&self) -> u64 {
        // Equal catalogs have the same resources, so their count is a valid (if coarse) hash.
        self.inner.len() as u64
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<Catalog root={} resources={}>",
            crate::views::py_repr(py, self.inner.name(self.inner.root()))?,
            self.inner.len()
        ))
    }
}
