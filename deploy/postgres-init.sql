-- Rasa's tracker store gets its own database beside the gateway's store (compose.yml).
CREATE DATABASE rasa OWNER relais;
