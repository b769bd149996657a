//! A payment's fiscal receipts as PDFs: `GET v1/payments/{id}/receipt` (the sale) and
//! `/refund_receipt` (its void or refund), openapi.yaml tag `receipt`. Voucherly answers 404
//! where it issued none (fiscal receipts are a merchant's option, or not issued yet).

use reqwest::header::ACCEPT;

use super::client::VoucherlyClient;
use super::error::{VoucherlyError, snippet};

/// Which of a payment's receipts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptKind {
    Sale,
    Refund,
}

impl ReceiptKind {
    fn segment(self) -> &'static str {
        match self {
            Self::Sale => "receipt",
            Self::Refund => "refund_receipt",
        }
    }
}

impl VoucherlyClient {
    /// The receipt's PDF, `None` when Voucherly has none for this payment. A body that is not
    /// a PDF is an unexpected answer, so nothing else is ever handed on as one.
    #[tracing::instrument(name = "voucherly.payment_receipt", skip(self), fields(status))]
    pub async fn payment_receipt(
        &self,
        payment_id: &str,
        kind: ReceiptKind,
    ) -> Result<Option<Vec<u8>>, VoucherlyError> {
        let url = self.endpoint(&["v1", "payments", payment_id, kind.segment()])?;
        let request = self.http.get(url).header(ACCEPT, "application/pdf");
        match self.send(request).await {
            Ok(body) if body.starts_with(b"%PDF-") => Ok(Some(body)),
            Ok(body) => Err(VoucherlyError::UnexpectedAnswer(format!(
                "the receipt is not a PDF: {}",
                snippet(&body)
            ))),
            Err(VoucherlyError::NotFound) => Ok(None),
            Err(error) => Err(error),
        }
    }
}
